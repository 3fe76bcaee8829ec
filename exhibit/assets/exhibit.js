// Keyboard-usable theme filters for era timelines: a checkbox per theme shows or hides its traces.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[data-exhibit-plot]")) return;
  var plot = document.getElementById(box.getAttribute("data-exhibit-plot"));
  if (!plot || !window.Plotly) return;
  var traces = JSON.parse(box.getAttribute("data-traces"));
  window.Plotly.restyle(plot, { visible: box.checked ? true : "legendonly" }, traces);
});
