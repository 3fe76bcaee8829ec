// Figures: each plotly figure is a placeholder plus its JSON. plotly.js is fetched only on pages with figures,
// after the page's text has been painted, and figures are drawn as they come near the screen.
(function () {
  var here = document.currentScript && document.currentScript.src;
  var plotlySrc = here ? here.replace(/exhibit\.js(\?.*)?$/, "plotly.min.js") : null;
  var waiting = [], loading = false;
  function withPlotly(then) {
    if (window.Plotly) { then(); return; }
    waiting.push(then);
    if (loading || !plotlySrc) return;
    loading = true;
    var script = document.createElement("script");
    script.src = plotlySrc;
    script.onload = function () { waiting.splice(0).forEach(function (f) { f(); }); };
    document.head.appendChild(script);
  }
  function draw(spec) {
    var div = document.getElementById(spec.getAttribute("data-exhibit-plot-spec"));
    if (!div || div.hasAttribute("data-drawn")) return;
    div.setAttribute("data-drawn", "");
    withPlotly(function () {
      var figure = JSON.parse(spec.textContent);
      window.Plotly.newPlot(div, figure.data, figure.layout || {}, figure.config || {});
    });
  }
  function start() {
    var specs = document.querySelectorAll("script[data-exhibit-plot-spec]");
    if (!specs.length) return;
    window.addEventListener("beforeprint", function () { specs.forEach(draw); });
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
  }
  // after the first frame is painted
  function later() { requestAnimationFrame(function () { setTimeout(start, 0); }); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", later);
  else later();
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
