// Figures: each plotly figure is a placeholder plus its JSON; draw them once plotly.js (loaded deferred, before
// this script) is there, the first ones at once and the others as they come near the screen.
(function () {
  function draw(spec) {
    var div = document.getElementById(spec.getAttribute("data-exhibit-plot-spec"));
    if (!div || div.getAttribute("data-drawn") || !window.Plotly) return;
    div.setAttribute("data-drawn", "");
    var figure = JSON.parse(spec.textContent);
    window.Plotly.newPlot(div, figure.data, figure.layout || {}, figure.config || {});
  }
  function start() {
    var specs = document.querySelectorAll("script[data-exhibit-plot-spec]");
    if (!("IntersectionObserver" in window)) { specs.forEach(draw); return; }
    var watch = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        watch.unobserve(entry.target);
        var spec = document.querySelector('script[data-exhibit-plot-spec="' + entry.target.id + '"]');
        if (spec) draw(spec);
      });
    }, { rootMargin: "600px 0px" });
    specs.forEach(function (spec) {
      var div = document.getElementById(spec.getAttribute("data-exhibit-plot-spec"));
      if (div) watch.observe(div);
    });
    window.addEventListener("beforeprint", function () { specs.forEach(draw); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// Keyboard-usable theme filters for era timelines: a checkbox per theme shows or hides its traces.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[data-exhibit-plot]")) return;
  var plot = document.getElementById(box.getAttribute("data-exhibit-plot"));
  if (!plot || !window.Plotly) return;
  var traces = JSON.parse(box.getAttribute("data-traces"));
  window.Plotly.restyle(plot, { visible: box.checked ? true : "legendonly" }, traces);
});

// Printing opens every folded block (data tables, notes, sources) except solutions, and closes them again after.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details:not([open])").forEach(function (d) {
    if (d.closest(".solution")) return;
    d.setAttribute("open", "");
    d.setAttribute("data-exhibit-printed", "");
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-exhibit-printed]").forEach(function (d) {
    d.removeAttribute("open");
    d.removeAttribute("data-exhibit-printed");
  });
});
