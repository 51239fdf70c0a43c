/* Inside the widget's iframe: tell the host page how tall the widget is, so it can size the iframe.
   Only to the origin the server checked and wrote on <html data-parent-origin>; never to "*". The message
   type (<html data-height-message>) is the one embed.js listens for. */
(function () {
  "use strict";
  var parentOrigin = document.documentElement.getAttribute("data-parent-origin");
  var messageType = document.documentElement.getAttribute("data-height-message");
  var box = document.getElementById("widget");
  if (!parentOrigin || !messageType || !box || window.parent === window) {
    return;
  }
  var lastHeight = -1;

  function reportHeight() {
    var height = Math.ceil(box.getBoundingClientRect().height);
    if (height === lastHeight) {
      return;
    }
    lastHeight = height;
    window.parent.postMessage({ type: messageType, height: height }, parentOrigin);
  }

  if ("ResizeObserver" in window) {
    new ResizeObserver(reportHeight).observe(box);
  } else {
    window.addEventListener("resize", reportHeight);
  }
  window.addEventListener("load", reportHeight);
  reportHeight();
})();
