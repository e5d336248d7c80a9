// "Copy account number" / "Copy transfer memo" buttons of the VietQR card (clipboard API). Without the clipboard
// (an old browser, a page not served over HTTPS) the text is selected and the status line says how to copy it.
(function () {
  "use strict";
  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function setUp() {
    var status = document.querySelector(".copy-status");
    document.querySelectorAll(".copy-button[data-copy-target]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      if (!source) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = source.textContent.trim();
        function say(key) {
          if (status) status.textContent = (status.getAttribute(key) || "%(text)s").replace("%(text)s", text);
        }
        function fallback() {
          select(source);
          say("data-failed");
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(function () { say("data-copied"); }, fallback);
        } else {
          fallback();
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
