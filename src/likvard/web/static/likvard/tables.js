/* Every table scrolls inside its own box instead of widening the page (see likvard.css,
   .table-scroll). A box that really scrolls becomes a focusable, named region so it can be
   scrolled with the keyboard (axe: scrollable-region-focusable). Runs again after HTMX swaps. */
(function () {
  "use strict";
  function nameOf(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    return table.getAttribute("aria-label") || "";
  }
  function wrap(root) {
    (root || document).querySelectorAll("table").forEach(function (table) {
      var parent = table.parentElement;
      if (parent && parent.classList.contains("table-scroll")) return;
      var box = document.createElement("div");
      box.className = "table-scroll";
      box.dataset.auto = "1";
      parent.insertBefore(box, table);
      box.appendChild(table);
    });
    mark();
  }
  function mark() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      // (0 in a closed <details>: measured again when it opens)
      if (box.clientWidth) box.style.setProperty("--table-box", box.clientWidth + "px");
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var table = box.querySelector("table");
        var name = table ? nameOf(table) : "";
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", name || document.body.dataset.tableLabel || "Table");
        }
      } else if (box.dataset.auto) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wrap(document); });
  document.addEventListener("htmx:afterSettle", function (event) { wrap(event.target); });
  window.addEventListener("resize", mark);
  document.addEventListener("toggle", mark, true);
})();
