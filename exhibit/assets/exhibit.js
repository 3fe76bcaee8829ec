// Figures: each plotly figure arrives drawn (a wide and a phone-width SVG made when the book was built), with
// its JSON. plotly.js (0.4 MB) is fetched only when a reader reaches for a chart: the mouse over it, a tap, the
// Explore button, its theme checkboxes or the event finder. The drawing is then replaced by the live chart.
var exhibitPlots = (function () {
  var here = document.currentScript && document.currentScript.src;
  var plotlySrc = here ? here.replace(/exhibit\.js(\?.*)?$/, "plotly.min.js") : null;
  var waiting = [], loading = false, NARROW = 640;
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
  function filters(id) {
    return document.querySelectorAll('input[data-exhibit-plot="' + id + '"]');
  }
  function explore(id, focus) {
    var div = document.getElementById(id);
    var spec = document.querySelector('script[data-exhibit-plot-spec="' + id + '"]');
    if (!div || !spec || div.hasAttribute("data-drawn")) return;
    div.setAttribute("data-drawn", "");
    var still = document.querySelector('[data-exhibit-static="' + id + '"]');
    var button = still && still.querySelector("button");
    if (button) { button.disabled = true; button.textContent = "Loading the interactive chart\u2026"; }
    withPlotly(function () {
      var figure = JSON.parse(spec.textContent);
      var narrow = (still || div.parentElement).clientWidth <= NARROW;
      var layout = narrow && figure.narrow ? figure.narrow : figure.layout || {};
      var config = Object.assign({}, figure.config || {}, narrow ? { displayModeBar: false } : {});
      div.style.height = (layout.height || 450) + "px";
      div.hidden = false;
      if (still) still.remove();
      window.Plotly.newPlot(div, figure.data, layout, config).then(function () {
        var hidden = [];
        filters(id).forEach(function (box) {
          if (!box.checked) hidden = hidden.concat(JSON.parse(box.getAttribute("data-traces")));
        });
        if (hidden.length) window.Plotly.restyle(div, { visible: "legendonly" }, hidden);
        if (focus) { div.tabIndex = -1; div.focus(); }
        div.dispatchEvent(new CustomEvent("exhibit:drawn", { bubbles: true }));
      });
    });
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-exhibit-explore], [data-exhibit-static]");
    if (!target) return;
    var id = target.getAttribute("data-exhibit-explore") || target.getAttribute("data-exhibit-static");
    explore(id, target.hasAttribute("data-exhibit-explore"));
  });
  document.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") return;
    var still = event.target.closest && event.target.closest("[data-exhibit-static]");
    if (still) explore(still.getAttribute("data-exhibit-static"), false);
  });
  return { explore: explore, drawn: function (id) {
    var div = document.getElementById(id);
    return !!(div && div.data && window.Plotly);
  } };
})();

// Maps: a map's document is written into its frame when the map comes near the screen (or before printing), so
// Leaflet does not run while the page's text is painted.
(function () {
  function load(frame) {
    if (!frame.hasAttribute("data-exhibit-srcdoc")) return;
    frame.srcdoc = frame.getAttribute("data-exhibit-srcdoc");
    frame.removeAttribute("data-exhibit-srcdoc");
  }
  var frames = document.querySelectorAll("iframe[data-exhibit-srcdoc]");
  window.addEventListener("beforeprint", function () { frames.forEach(load); });
  if (!("IntersectionObserver" in window)) { frames.forEach(load); return; }
  var watch = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { watch.unobserve(entry.target); load(entry.target); }
    });
  }, { rootMargin: "300px 0px" });
  frames.forEach(function (frame) { watch.observe(frame); });
})();

// Keyboard-usable theme filters for era timelines: a checkbox per theme shows or hides its traces.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[data-exhibit-plot]")) return;
  var id = box.getAttribute("data-exhibit-plot");
  if (!exhibitPlots.drawn(id)) { exhibitPlots.explore(id, false); return; }  // applies every box once drawn
  var traces = JSON.parse(box.getAttribute("data-traces"));
  window.Plotly.restyle(document.getElementById(id), { visible: box.checked ? true : "legendonly" }, traces);
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
    if (!exhibitPlots.drawn(plotId)) { if (ids) exhibitPlots.explore(plotId, false); return; }
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
  document.addEventListener("exhibit:drawn", function (event) { if (event.target.id === plotId) update(); });
  era.addEventListener("change", update);
});

// The claim ledger's verdict filter: show the claims of one verdict, or all.
document.addEventListener("change", function (event) {
  var radio = event.target;
  if (radio.name !== "exhibit-verdict") return;
  document.querySelectorAll(".exhibit-claims li[data-verdict]").forEach(function (li) {
    li.hidden = !!radio.value && li.getAttribute("data-verdict") !== radio.value;
  });
});

// A link to something inside a folded block opens the block first (and to a claim the filter hides, shows all).
function exhibitReveal() {
  var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (!target) return;
  var all = target.hidden && document.querySelector('input[name="exhibit-verdict"][value=""]');
  if (all) { all.checked = true; all.dispatchEvent(new Event("change", { bubbles: true })); }
  for (var d = target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
  target.scrollIntoView();
}
window.addEventListener("hashchange", exhibitReveal);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", exhibitReveal);
else exhibitReveal();
