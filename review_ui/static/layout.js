// A table wider than a phone's screen scrolls sideways inside its own box; such a box must be
// reachable with the keyboard (axe: scrollable-region-focusable), so it gets a tab stop and a
// name. Boxes that fit get none (no needless tab stops).
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("table.grid, .table-wrap").forEach(function (el, i) {
      if (el.tagName === "TABLE" && el.closest(".table-wrap")) return;  // its box scrolls
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        var caption = el.querySelector("caption, th");
        el.setAttribute("aria-label", "table " + (i + 1) + ", scrolls sideways" +
          (caption ? ", from " + caption.textContent.trim() : ""));
        el.dataset.scrollMarked = "yes";
      } else if (!scrolls && el.dataset.scrollMarked === "yes") {
        el.removeAttribute("tabindex"); el.removeAttribute("role"); el.removeAttribute("aria-label");
        delete el.dataset.scrollMarked;
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
  window.addEventListener("load", mark);
})();
