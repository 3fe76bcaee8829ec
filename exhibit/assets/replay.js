// Fly the mission: the replay page. Positions, phases and places below were computed when the book was built
// (exhibit/replay.py); this script only looks them up for the chosen minute and draws them. No orbit code here:
// the only astronomy is the Sun's position, for the night shading.
(function () {
  "use strict";
  var root = document.querySelector("[data-exhibit-replay]");
  var blob = root && root.querySelector("script[data-exhibit-replay-data]");
  if (!root || !blob || !window.L) return;
  var D = JSON.parse(blob.textContent);
  var live = root.querySelector(".replay-live");
  var slider = root.querySelector("[data-replay=slider]");
  var playButton = root.querySelector("[data-replay=play]");
  var speedSelect = root.querySelector("[data-replay=speed]");
  var clock = root.querySelector(".replay-clock");
  var readout = root.querySelector(".replay-readout");
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var NAMES = ["soyuz", "apollo"];
  var COLOURS = { soyuz: "#b2182b", apollo: "#2166ac", joined: "#5e3c99" };
  var ORBIT = 90; // samples of track drawn behind each craft: about one revolution at one per minute

  live.hidden = false;
  slider.max = String(D.count - 1);

  // -- looking things up --------------------------------------------------------------------------------------
  function timeOf(i) { return new Date((D.start + i * D.step) * 1000); }
  function run(runs, names, k) { // value at sample k of a run-length list [[first, nameIndex], ...]
    var lo = 0, hi = runs.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (runs[mid][0] <= k) lo = mid; else hi = mid - 1; }
    return names[runs[lo][1]];
  }
  function state(name, i) {
    var c = D.craft[name], k = i - c.offset, n = c.lat.length;
    if (k < 0) return { name: name, before: true };
    var held = k >= n; k = Math.min(k, n - 1);
    return { name: name, k: k, held: held, lat: c.lat[k] / 100, lon: c.lon[k] / 100,
             phase: run(c.phaseRuns, c.phases, k), place: run(c.placeRuns, c.places, k) };
  }
  function trail(name, i) { // the last orbit of track, split where it crosses the date line
    var c = D.craft[name], k = Math.min(i - c.offset, c.lat.length - 1), lines = [[]], prev = null;
    for (var j = Math.max(0, k - ORBIT); j <= k; j++) {
      var p = [c.lat[j] / 100, c.lon[j] / 100];
      if (prev && Math.abs(p[1] - prev[1]) > 180) lines.push([]);
      lines[lines.length - 1].push(p);
      prev = p;
    }
    return k >= 0 ? lines : [];
  }

  // -- the Sun and the night side -----------------------------------------------------------------------------
  function night(date) {
    var d = date.getTime() / 86400000 + 2440587.5 - 2451545.0, rad = Math.PI / 180;
    var g = (357.529 + 0.98560028 * d) * rad, q = 280.459 + 0.98564736 * d;
    var L = (q + 1.915 * Math.sin(g) + 0.020 * Math.sin(2 * g)) * rad, e = (23.439 - 0.00000036 * d) * rad;
    var ra = Math.atan2(Math.cos(e) * Math.sin(L), Math.cos(L)) / rad, dec = Math.asin(Math.sin(e) * Math.sin(L));
    var gmst = (18.697374558 + 24.06570982441908 * d) * 15;
    var sunLon = ((ra - gmst) % 360 + 540) % 360 - 180, pts = [];
    for (var lon = -180; lon <= 180; lon += 3) {
      pts.push([Math.atan(-Math.cos((lon - sunLon) * rad) / Math.tan(dec)) / rad, lon]);
    }
    var pole = dec > 0 ? -90 : 90;
    pts.push([pole, 180], [pole, -180]);
    return pts;
  }

  // -- clocks and words ---------------------------------------------------------------------------------------
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clockText(date, hours) { // 1975: Moscow UTC+3 all year, Houston on CDT (UTC-5) in July
    var t = new Date(date.getTime() + hours * 3600000);
    return t.getUTCDate() + " " + MONTHS[t.getUTCMonth()] + " " + t.getUTCFullYear() + ", " +
      pad(t.getUTCHours()) + ":" + pad(t.getUTCMinutes());
  }
  function iso(date) { return date.toISOString().slice(0, 16) + "Z"; }
  function met(name, date) {
    var s = Math.floor(date.getTime() / 1000 - D.craft[name].launch);
    if (s < 0) return "";
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    return d + " d " + pad(h) + " h " + pad(m) + " min";
  }
  function latlon(lat, lon) {
    return Math.abs(lat).toFixed(1) + "\u00b0" + (lat >= 0 ? "N" : "S") + " " +
      Math.abs(lon).toFixed(1) + "\u00b0" + (lon >= 0 ? "E" : "W");
  }
  function latestEvent(date) {
    var t = date.getTime() / 1000, found = null;
    D.events.forEach(function (e) { if (e.t <= t) found = e; });
    return found;
  }
  function line(parent, label, text) {
    var p = document.createElement("p"), b = document.createElement("strong");
    b.textContent = label + ": ";
    p.appendChild(b);
    p.appendChild(document.createTextNode(text));
    parent.appendChild(p);
  }
  function craftText(s, date) {
    if (s.before) return "not yet launched";
    var m = met(s.name, date);
    return s.phase + (m && !s.held ? ", mission elapsed time " + m : "") + "; below: " + latlon(s.lat, s.lon) +
      ", " + (s.place || "open sea");
  }
  function writeReadout(i) {
    var date = timeOf(i), box = document.createDocumentFragment();
    line(box, "UTC", clockText(date, 0));
    line(box, "Moscow (UTC+3)", clockText(date, 3));
    line(box, "Houston (CDT, UTC\u22125)", clockText(date, -5));
    NAMES.forEach(function (n) { line(box, D.craft[n].label, craftText(state(n, i), date)); });
    var e = latestEvent(date);
    if (e) {
      line(box, "Latest moment", e.title + ". " + e.summary);
      line(box, "Sources", e.sources);
    }
    readout.replaceChildren(box);
  }

  // -- the map ------------------------------------------------------------------------------------------------
  var map = L.map(root.querySelector(".replay-map"), { zoomControl: false, keyboard: false, scrollWheelZoom: false,
    attributionControl: false, worldCopyJump: false, minZoom: 1, maxZoom: 6, zoomSnap: 0.25 });
  map.fitBounds([[-60, -180], [70, 180]]);
  if (window.EXHIBIT_LAND) {
    L.geoJSON(window.EXHIBIT_LAND, { interactive: false, style: function () {
      return { className: "exhibit-land", color: "#8a8a7a", weight: 0.6, fillColor: "#e8e4d4", fillOpacity: 1 };
    } }).addTo(map);
  }
  var shade = L.polygon([], { interactive: false, stroke: false, fillColor: "#1b2a49", fillOpacity: 0.28 }).addTo(map);
  L.polyline(D.elbe, { interactive: false, color: "#1f78b4", weight: 2, dashArray: "4 3" }).addTo(map);
  L.circleMarker(D.torgau, { interactive: false, radius: 3, color: "#1f78b4", fillOpacity: 1 })
    .bindTooltip("Torgau", { permanent: true, direction: "right", className: "replay-label" }).addTo(map);
  var trails = {}, markers = {};
  NAMES.concat(["joined"]).forEach(function (n) {
    if (n !== "joined") trails[n] = L.polyline([], { interactive: false, color: COLOURS[n], weight: 2 }).addTo(map);
    markers[n] = L.circleMarker([0, 0], { interactive: false, radius: 7, color: "#fff", weight: 2,
      fillColor: COLOURS[n], fillOpacity: 1, className: "replay-marker replay-marker-" + n });
    markers[n].bindTooltip(n === "joined" ? "Apollo and Soyuz, docked" : D.craft[n].label,
      { permanent: true, direction: n === "apollo" ? "bottom" : "top", className: "replay-label" });
  });
  function place(marker, s) {
    if (!s || s.before) { if (map.hasLayer(marker)) map.removeLayer(marker); return; }
    marker.setLatLng([s.lat, s.lon]);
    if (!map.hasLayer(marker)) marker.addTo(map);
  }

  // -- drawing ------------------------------------------------------------------------------------------------
  var current = 0, lastDraw = 0;
  function draw(i) {
    var t0 = performance.now(), date = timeOf(i);
    var s = { soyuz: state("soyuz", i), apollo: state("apollo", i) };
    var joined = s.soyuz.phase === "docked" && s.apollo.phase === "docked";
    NAMES.forEach(function (n) {
      trails[n].setLatLngs(trail(n, i));
      place(markers[n], joined ? null : s[n]);
    });
    place(markers.joined, joined ? s.apollo : null);
    shade.setLatLngs(night(date));
    clock.textContent = clockText(date, 0) + " UTC";
    slider.setAttribute("aria-valuetext", clockText(date, 0) + " UTC");
    lastDraw = performance.now() - t0;
  }
  var addressTimer = null;
  function remember() { // the address follows the instant, at most twice a second
    if (addressTimer) return;
    addressTimer = setTimeout(function () {
      addressTimer = null;
      history.replaceState(null, "", "#t=" + iso(timeOf(current)));
    }, 500);
  }
  function go(i, announce) {
    current = Math.max(0, Math.min(D.count - 1, Math.round(i)));
    slider.value = String(current);
    draw(current);
    if (announce) writeReadout(current);
    remember();
  }
  function fromAddress() {
    var m = /t=(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)Z/.exec(decodeURIComponent(location.hash));
    var t = m ? Date.parse(m[1] + "Z") : Date.parse(blob.getAttribute("data-initial"));
    return isNaN(t) ? 0 : (t / 1000 - D.start) / D.step;
  }

  // -- playing ------------------------------------------------------------------------------------------------
  var playing = false, lastFrame = 0, position = 0;
  function frame(now) {
    if (!playing) return;
    var dt = lastFrame ? (now - lastFrame) / 1000 : 0;
    lastFrame = now;
    position += dt * Number(speedSelect.value) / D.step;
    if (position >= D.count - 1) { go(D.count - 1, false); pause(); return; }
    if (Math.round(position) !== current) go(position, false);
    requestAnimationFrame(frame);
  }
  function play() {
    if (reduced) return;
    if (current >= D.count - 1) go(0, false);
    playing = true; lastFrame = 0; position = current;
    playButton.textContent = "Pause"; playButton.setAttribute("aria-pressed", "true");
    requestAnimationFrame(frame);
  }
  function pause() {
    playing = false;
    playButton.textContent = "Play"; playButton.setAttribute("aria-pressed", "false");
    writeReadout(current);
  }
  function toggle() { if (playing) pause(); else play(); }
  function jump(direction) {
    var t = D.start + current * D.step, target = null;
    D.events.forEach(function (e) {
      if (direction > 0 && e.t > t + D.step / 2 && target === null) target = e.t;
      if (direction < 0 && e.t < t - D.step / 2) target = e.t;
    });
    if (target === null) return;
    if (playing) pause();
    go((target - D.start) / D.step, true);
  }

  if (reduced) {
    playButton.disabled = true;
    root.querySelector(".replay-motion-note").hidden = false;
  }
  playButton.addEventListener("click", toggle);
  root.querySelector("[data-replay=prev]").addEventListener("click", function () { jump(-1); });
  root.querySelector("[data-replay=next]").addEventListener("click", function () { jump(1); });
  slider.addEventListener("input", function () { if (playing) pause(); go(Number(slider.value), false); });
  slider.addEventListener("change", function () { writeReadout(current); });
  slider.addEventListener("keydown", function (event) {
    if (event.key === " " || event.key === "Spacebar") { event.preventDefault(); toggle(); return; }
    var steps = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 60, PageDown: -60 }[event.key];
    if (steps === undefined) return;
    event.preventDefault();
    if (playing) pause();
    go(current + steps, true);
  });
  window.addEventListener("hashchange", function () { go(fromAddress(), true); });
  window.exhibitReplay = { index: function () { return current; }, go: function (i) { go(i, true); },
    lastDrawMs: function () { return lastDraw; } };
  go(fromAddress(), true);
  setTimeout(function () { map.invalidateSize(); }, 0);
})();
