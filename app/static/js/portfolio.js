// The managers' list (/managers/p/…): pick a building or correct a row without reloading the page,
// and copy the private links. An enhancement only: without it every form posts and redirects the same.
(function () {
  "use strict";

  var live = document.getElementById("row-status");

  function announce(text) {
    if (live) live.textContent = text;
  }

  function swapRow(html, row) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var fresh = page.getElementById(row.id);
    var summary = page.querySelector(".summary");
    var banner = page.querySelector(".banner");
    if (summary && document.querySelector(".summary")) document.querySelector(".summary").replaceWith(summary);
    if (banner) announce(banner.textContent.trim());
    if (!fresh) {
      row.remove(); // the row no longer matches the filter in use
      return;
    }
    fresh.classList.add("portfolio-row--changed");
    row.replaceWith(fresh);
    var target = fresh.querySelector("a, select, input[type=text]");
    if (target) target.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("row-form") || !window.fetch || !window.DOMParser) return;
    var row = form.closest("tr");
    if (!row) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        swapRow(html, row);
      })
      .catch(function () {
        form.submit(); // let the browser do it the plain way
      });
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) return;
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.getAttribute("data-copied") || label;
        announce(button.textContent);
        window.setTimeout(function () {
          button.textContent = label;
        }, 3000);
      });
    });
  });
})();
