// Draw each frozen analysis snapshot from its stored Vega-Lite spec (no data is fetched).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-vega-spec]").forEach((element) => {
    const spec = JSON.parse(document.getElementById(element.dataset.vegaSpec).textContent);
    vegaEmbed(element, spec, { actions: false, renderer: "svg" }).then((result) => {
      element.querySelector("svg")?.setAttribute("role", "img");
      element.querySelector("svg")?.setAttribute("aria-label", spec.description || spec.title);
      element.dataset.rendered = "true";
      return result;
    });
  });
});
