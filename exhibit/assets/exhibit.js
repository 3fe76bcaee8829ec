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

// The event finder (welcome page): a text search and an era filter over the timeline's events. The count is a
// polite status message; results link to the event list on the page; matching points stay bright in the chart.
document.querySelectorAll("script[data-exhibit-finder]").forEach(function (blob) {
  var plotId = blob.getAttribute("data-exhibit-finder");
  var root = blob.closest(".exhibit-finder");
  var query = root.querySelector("input[type=search]");
  var era = root.querySelector("select");
  var count = root.querySelector(".exhibit-finder-count");
  var list = root.querySelector(".exhibit-finder-results");
  var events = JSON.parse(blob.textContent);
  var idle = count.textContent, shown = 25, timer = null;
  function item(text, href) {
    var li = document.createElement("li");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      li.appendChild(a);
    } else {
      li.textContent = text;
    }
    return li;
  }
  function highlight(ids) {
    var div = document.getElementById(plotId);
    if (!div || !div.data || !window.Plotly) return;
    var traces = [], selected = [];
    div.data.forEach(function (trace, i) {
      if (trace.mode !== "markers" || !trace.customdata) return;
      traces.push(i);
      selected.push(ids ? trace.customdata.map(function (c, j) { return ids[c[6]] ? j : -1; })
        .filter(function (j) { return j >= 0; }) : null);
    });
    if (traces.length) window.Plotly.restyle(div, { selectedpoints: selected }, traces);
  }
  function update() {
    var words = query.value.toLowerCase().split(/\s+/).filter(Boolean), chosen = era.value;
    var hits = events.filter(function (ev) {
      return (!chosen || ev.era === chosen) && words.every(function (w) { return ev.text.indexOf(w) >= 0; });
    });
    var active = words.length > 0 || chosen !== "";
    list.replaceChildren();
    if (!active) { count.textContent = idle; highlight(null); return; }
    count.textContent = hits.length === 1 ? "1 event matches." : hits.length + " events match.";
    hits.slice(0, shown).forEach(function (ev) { list.appendChild(item(ev.when + ": " + ev.title, "#event-" + ev.id)); });
    if (hits.length > shown) list.appendChild(item("… and " + (hits.length - shown) + " more: add a word to narrow the search."));
    var ids = {};
    hits.forEach(function (ev) { ids[ev.id] = true; });
    highlight(ids);
  }
  query.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 200); });
  era.addEventListener("change", update);
});

// A link to something inside a folded block opens the block first.
function exhibitReveal() {
  var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (!target) return;
  for (var d = target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
  target.scrollIntoView();
}
window.addEventListener("hashchange", exhibitReveal);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", exhibitReveal);
else exhibitReveal();
