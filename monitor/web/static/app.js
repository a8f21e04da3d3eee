// A little progressive enhancement; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Changing the sort order re-runs the search.
  for (const select of document.querySelectorAll("select.autosubmit")) {
    select.addEventListener("change", () => select.form.submit());
  }
  // Long facet lists show their first entries until asked for more.
  for (const button of document.querySelectorAll(".more-toggle")) {
    button.addEventListener("click", () => {
      const open = button.closest(".facet").classList.toggle("open");
      button.textContent = open ? "fewer" : "more";
    });
  }
  // "/" jumps to the search box, as on most search sites.
  const box = document.querySelector("header input[type=search]");
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && box && document.activeElement !== box
        && !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) {
      event.preventDefault();
      box.focus();
    }
  });
});
