// Address suggestions for the search box: the ARIA 1.2 combobox pattern (editable, list autocomplete).
// An enhancement only: without it the GET form works the same. Suggestions come from /api/v1/suggest.
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var MIN_CHARS = 2;

  function enhance(container) {
    var input = container.querySelector("input[name=q]");
    var form = input && input.form;
    if (!input || !form || input.dataset.enhanced) return;
    input.dataset.enhanced = "1";

    var url = container.getAttribute("data-suggest-url");
    var msgCount = container.getAttribute("data-msg-count") || "{count}";
    var msgNone = container.getAttribute("data-msg-none") || "";
    var listId = input.id + "-listbox";

    var wrapper = document.createElement("div");
    wrapper.className = "autocomplete";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "autocomplete__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", (form.querySelector("label[for='" + input.id + "']") || {}).textContent || "");
    list.hidden = true;
    wrapper.appendChild(list);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      if (!options.length) return;
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = (index + options.length) % options.length;
      var option = options[active];
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      if (option.scrollIntoView) option.scrollIntoView({ block: "nearest" });
    }

    // A street's label ends with its type abbreviation ("Žirmūnų g."); a building's with its number.
    function isStreet(label) {
      return /\.$/.test(label);
    }

    function choose(index) {
      var option = options[index];
      if (!option) return;
      close();
      if (isStreet(option.textContent)) {
        // A street chosen: keep helping, so the house number can be typed and picked next.
        input.value = option.textContent + " ";
        input.focus();
        lastQuery = null;
        return;
      }
      input.value = option.textContent;
      form.submit();
    }

    function render(labels) {
      list.textContent = "";
      options = labels.map(function (label, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.className = "autocomplete__option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = label;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { choose(i); });
        list.appendChild(li);
        return li;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = msgCount.replace("{count}", String(options.length));
      } else {
        close();
        status.textContent = msgNone;
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < MIN_CHARS) { render([]); status.textContent = ""; return; }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value.trim() !== query) return;
          render(Array.isArray(data.suggestions) ? data.suggestions.slice(0, 8) : []);
        })
        .catch(function () { /* offline or aborted: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      switch (event.key) {
        case "ArrowDown":
          if (!open && options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
          if (options.length) { setActive(active + 1); event.preventDefault(); }
          break;
        case "ArrowUp":
          if (open && options.length) { setActive(active - 1); event.preventDefault(); }
          break;
        case "Enter":
          if (open && active >= 0) { event.preventDefault(); choose(active); }
          break;
        case "Escape":
          if (open) { event.preventDefault(); close(); } else { input.value = ""; lastQuery = null; }
          break;
        case "Tab":
          close();
          break;
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  var containers = document.querySelectorAll("[data-autocomplete]");
  for (var i = 0; i < containers.length; i++) enhance(containers[i]);
})();
