// Opening a round (indicators/home.html): the period select offers only the periods of the chosen report form's
// type (its option carries data-period-type). Without JavaScript every period is offered and the server says
// which type the form needs.
(function () {
  "use strict";

  function sync(formSelect) {
    var container = formSelect.form;
    var periodSelect = container && container.querySelector("[data-round-period]");
    if (!periodSelect) {
      return;
    }
    var chosen = formSelect.options[formSelect.selectedIndex];
    var type = chosen ? chosen.getAttribute("data-period-type") : "";
    Array.prototype.forEach.call(periodSelect.querySelectorAll("optgroup"), function (group) {
      var shown = false;
      Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
        var match = !type || option.getAttribute("data-period-type") === type;
        option.hidden = !match;
        option.disabled = !match;
        shown = shown || match;
      });
      group.hidden = !shown;
    });
    var current = periodSelect.options[periodSelect.selectedIndex];
    if (current && current.disabled) {
      periodSelect.value = "";
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-round-form]"), function (formSelect) {
      sync(formSelect);
      formSelect.addEventListener("change", function () {
        sync(formSelect);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
