// The error summary (templates/includes/error_summary.html): focused when the page loads, or when htmx swaps one
// in, so keyboard and screen-reader users start at the list of errors; a link in it moves the focus to its field
// and scrolls the field's label (or legend) into view, as GOV.UK's does.
(function () {
  "use strict";

  function focusSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  function labelFor(input) {
    var fieldset = input.closest("fieldset");
    if (fieldset && input.type && (input.type === "radio" || input.type === "checkbox")) {
      var legend = fieldset.querySelector("legend");
      if (legend) {
        return legend;
      }
    }
    return document.querySelector('label[for="' + CSS.escape(input.id) + '"]') || input;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    if (!link) {
      return;
    }
    var input = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!input) {
      return;
    }
    event.preventDefault();
    labelFor(input).scrollIntoView();
    input.focus({ preventScroll: true });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  } else {
    focusSummary(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { focusSummary(event.target); });
})();
