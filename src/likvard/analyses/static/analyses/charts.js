// Render every Vega-Lite chart on the page: <div data-vega-spec="ID"> reads the JSON in
// <script id="ID" type="application/json"> (Django's json_script). Numbers in Swedish format.
(function () {
  "use strict";
  var locale = { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"], percent: "\u00a0%" };
  function render(root) {
    root.querySelectorAll("[data-vega-spec]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-vega-spec"));
      if (!source || typeof vegaEmbed !== "function") { return; }
      var spec = JSON.parse(source.textContent);
      vegaEmbed(element, spec, { actions: false, renderer: "svg", formatLocale: locale })
        .then(function (result) {
          var svg = element.querySelector("svg");
          if (svg) {
            svg.setAttribute("role", "img");
            svg.setAttribute("aria-label", element.getAttribute("data-label") || spec.title || "");
          }
          element.setAttribute("data-rendered", "true");
          return result;
        })
        .catch(function (error) { element.setAttribute("data-error", String(error)); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { render(document); });
  document.addEventListener("htmx:afterSwap", function (event) { render(event.target); });
})();
