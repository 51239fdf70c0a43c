// Small enhancements for every page; everything works without them.
(function () {
  "use strict";
  // GOV.UK pattern: after a submit with errors, move focus to the error summary so it is read out first.
  var summary = document.querySelector("[data-module='error-summary']");
  if (summary) summary.focus();
})();
