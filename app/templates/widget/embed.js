/* Karštas vanduo — the snippet's script. Paste on the host page:

     <div data-karstas-vanduo data-lang="lt"></div>
     <script async src="https://…/embed.js"></script>

   Each placeholder gets an iframe with the widget; the iframe reports its height with postMessage and
   this script resizes it. Messages are accepted only from the widget's origin and only from the
   placeholder's own iframe. Options: data-lang (lt, en, ru, pl), data-accent (#rrggbb), data-title.

   Only the sites the operator allows (EMBED_ALLOWED_ORIGINS) may frame the widget; elsewhere the
   browser would show an empty, blocked frame. So on any other site the placeholders keep their plain
   link and the console says, once, what to do. */
(function () {
  "use strict";
  var MESSAGE = {{ height_message|tojson }};
  var MIN_HEIGHT = 120;
  var MAX_HEIGHT = 4000;
  // The message type and these paths are filled in by the server (widget/options.py, the widget's routes).
  var SCRIPT_PATH = {{ script_path|tojson }};
  var FRAME_PATH = {{ frame_path|tojson }};
  // The sites that may frame the widget (besides the widget's own), and what to tell any other.
  var ALLOWED_ORIGINS = {{ allowed_origins|tojson }};
  var REFUSED_MESSAGE = {{ refused_message|tojson }};
  var HELP_PATH = {{ help_path|tojson }};

  var script = document.currentScript;
  if (!script) {
    var candidates = document.querySelectorAll('script[src*="' + SCRIPT_PATH + '"]');
    script = candidates[candidates.length - 1];
  }
  if (!script || !script.src) {
    return;
  }
  var widgetOrigin = new URL(script.src, window.location.href).origin;

  function hostLanguage() {
    return (document.documentElement.getAttribute("lang") || "").slice(0, 2).toLowerCase();
  }

  function mount(placeholder) {
    if (placeholder.hasAttribute("data-karstas-vanduo-ready")) {
      return;
    }
    placeholder.setAttribute("data-karstas-vanduo-ready", "");

    var params = new URLSearchParams();
    params.set("lang", placeholder.getAttribute("data-lang") || hostLanguage() || "lt");
    if (placeholder.getAttribute("data-accent")) {
      params.set("accent", placeholder.getAttribute("data-accent"));
    }
    params.set("parent", window.location.origin);

    var frame = document.createElement("iframe");
    frame.src = widgetOrigin + FRAME_PATH + "?" + params.toString();
    frame.title = placeholder.getAttribute("data-title") || "Karštas vanduo";
    // The widget may run its script, submit its search and open the full site in a new, unsandboxed tab;
    // it may not navigate the host page.
    frame.setAttribute(
      "sandbox",
      "allow-scripts allow-forms allow-same-origin allow-popups allow-popups-to-escape-sandbox"
    );
    frame.style.display = "block";
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.height = "260px";

    window.addEventListener("message", function (event) {
      if (event.origin !== widgetOrigin || event.source !== frame.contentWindow) {
        return;
      }
      var data = event.data;
      if (!data || data.type !== MESSAGE || typeof data.height !== "number" || !isFinite(data.height)) {
        return;
      }
      var height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(data.height)));
      frame.style.height = height + "px";
    });

    // The placeholder may hold a plain link for readers without JavaScript; the widget replaces it.
    while (placeholder.firstChild) {
      placeholder.removeChild(placeholder.firstChild);
    }
    placeholder.appendChild(frame);
  }

  function mayFrame(origin) {
    return origin === widgetOrigin || ALLOWED_ORIGINS.indexOf(origin) !== -1;
  }

  function mountAll() {
    var placeholders = document.querySelectorAll("[data-karstas-vanduo]");
    if (!placeholders.length) {
      return;
    }
    if (!mayFrame(window.location.origin)) {
      // The plain links stay; one message for the site's developers.
      var help = widgetOrigin + HELP_PATH + "?origin=" + encodeURIComponent(window.location.origin);
      console.warn(REFUSED_MESSAGE.replace("{origin}", window.location.origin).replace("{help}", help));
      return;
    }
    for (var i = 0; i < placeholders.length; i++) {
      mount(placeholders[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})();
