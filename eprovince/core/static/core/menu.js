// The main menu on a phone: one "Danh mục" button that opens and closes the list (aria-expanded).
// Without this script the list simply shows in full.
(function () {
  "use strict";
  function setUp() {
    var nav = document.querySelector(".main-nav");
    if (!nav) return;
    var button = nav.querySelector(".menu-button");
    var list = nav.querySelector("#main-nav-list");
    if (!button || !list) return;
    nav.classList.add("nav-collapsible");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) {
        nav.classList.remove("is-open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
