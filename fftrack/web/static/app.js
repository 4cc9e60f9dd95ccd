/* fftrack map page. Article text is untrusted: it only ever enters the page through
 * textContent / createTextNode (never innerHTML), and links only keep http(s) URLs. */
(function () {
  "use strict";

  var TYPES = [
    ["Battles", "t-battles"],
    ["Explosions/Remote violence", "t-explosions"],
    ["Violence against civilians", "t-vac"],
    ["Protests", "t-protests"],
    ["Riots", "t-riots"],
    ["Strategic developments", "t-strategic"],
  ];
  var TYPE_CLASS = {};
  TYPES.forEach(function (t) { TYPE_CLASS[t[0].toLowerCase()] = t[1]; });
  var QUALIFIER = {
    exact: "", about: "about ", more_than: "more than ", at_least: "at least ",
    fewer_than: "fewer than ", at_most: "at most ",
  };
  var SVGNS = "http://www.w3.org/2000/svg";

  var $ = function (id) { return document.getElementById(id); };
  var regionNames = null;
  try { regionNames = new Intl.DisplayNames(["en"], { type: "region" }); } catch (e) { regionNames = null; }

  function typeClass(t) { return TYPE_CLASS[String(t || "").toLowerCase()] || "t-other"; }

  /* el("li", {className: "x"}, ["text", child]) -- strings become text nodes */
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        if (k === "className") node.className = props[k];
        else if (k === "text") node.textContent = props[k];
        else if (k.indexOf("data-") === 0 || k === "title" || k === "type" || k === "rel" || k === "target") node.setAttribute(k, props[k]);
        else node[k] = props[k];
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fmtInt(n) { return typeof n === "number" ? n.toLocaleString("en") : String(n); }
  function fmtQuantity(value, qualifier, upper) {
    if (value === null || value === undefined) return "";
    var s = (QUALIFIER[qualifier] || "") + fmtInt(value);
    if (upper !== null && upper !== undefined) s = fmtInt(value) + "\u2013" + fmtInt(upper);
    return s;
  }
  function country(code) {
    if (!code) return "unknown";
    try { return (regionNames && regionNames.of(code)) + " (" + code + ")"; } catch (e) { return code; }
  }
  function safeUrl(u) {
    if (typeof u !== "string") return null;
    try {
      var url = new URL(u);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) { return null; }
  }
  function status(msg, state) {
    $("status").textContent = msg;
    document.body.setAttribute("data-state", state || "ready");
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) throw new Error((body && body.detail) || ("HTTP " + r.status));
        return body;
      });
    });
  }

  /* ---------------------------------------------------------------- the map */
  if (typeof L === "undefined" || typeof L.markerClusterGroup !== "function" || typeof topojson === "undefined") {
    status("The map libraries are missing: run `make install` (npm ci) and restart `fftrack serve`. The API at /api/ and /docs still works.", "error");
    return;
  }
  /* The offline base map is Natural Earth 1:50m borders: past zoom 8 it shows nothing
   * but one flat fill, so the map zooms no closer unless the OSM tiles are on. */
  var OFFLINE_MAX_ZOOM = 8, ONLINE_MAX_ZOOM = 14;
  var map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: OFFLINE_MAX_ZOOM }).setView([33, 30], 4);
  map.createPane("basemap");
  map.getPane("basemap").style.zIndex = 250;
  map.createPane("flowends"); // one-ended movements: above the event markers, beside their place
  map.getPane("flowends").style.zIndex = 640;
  var osm = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 14, attribution: "\u00a9 OpenStreetMap contributors",
  });
  function makeClusters() { return L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false }); }
  var clusters = makeClusters(); // built for the map's max zoom: remade when that changes
  var flowRenderer = L.svg({ padding: 0.5 });
  var flowLayer = L.layerGroup();
  clusters.addTo(map);
  flowLayer.addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  function noteZoom() {
    $("map").setAttribute("data-zoom", String(map.getZoom()));
    $("map").setAttribute("data-max-zoom", String(map.getMaxZoom()));
  }
  map.on("zoomend", noteZoom);
  noteZoom();

  getJSON("/vendor/world-atlas/countries-50m.json").then(function (topo) {
    var land = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(land, {
      pane: "basemap",
      interactive: false,
      style: { color: "#9aa5ad", weight: 0.7, fillColor: "#f7f4ec", fillOpacity: 1, className: "fft-country" },
    }).addTo(map);
  }).catch(function (e) {
    status("Basemap unavailable (" + e.message + "): run `make install` to fetch the web assets.", "error");
  });

  $("osm").addEventListener("change", function () {
    var online = this.checked;
    map.removeLayer(clusters);
    if (online) osm.addTo(map); else map.removeLayer(osm);
    map.setMaxZoom(online ? ONLINE_MAX_ZOOM : OFFLINE_MAX_ZOOM);
    clusters = makeClusters();
    clusters.addTo(map);
    drawEvents({ features: state.events });
    noteZoom();
  });

  function ensureArrowDef() {
    var svg = flowRenderer._container;
    if (!svg || svg.querySelector("#fft-arrow")) return;
    var defs = document.createElementNS(SVGNS, "defs");
    var marker = document.createElementNS(SVGNS, "marker");
    marker.setAttribute("id", "fft-arrow");
    marker.setAttribute("viewBox", "0 0 10 10");
    marker.setAttribute("refX", "7");
    marker.setAttribute("refY", "5");
    marker.setAttribute("markerWidth", "3");
    marker.setAttribute("markerHeight", "3");
    marker.setAttribute("orient", "auto");
    var tip = document.createElementNS(SVGNS, "path");
    tip.setAttribute("d", "M0,0 L10,5 L0,10 z");
    marker.appendChild(tip);
    defs.appendChild(marker);
    svg.insertBefore(defs, svg.firstChild);
  }

  /* ---------------------------------------------------------------- state */
  var state = { events: [], slots: [], bulk: null, selected: null, loads: 0, seq: 0, flows: "", unlocated: 0 };
  var MOVEMENT_LIST_LIMIT = 200;
  var MAP_EVENTS_MAX = 50000; // markers drawn at most: past that, narrow the filters
  var MAP_PAGE = 2000; // events a page: one client, so pages larger than the API's default
  var markers = {};

  function filterParams() {
    var p = new URLSearchParams();
    var since = $("since").value, until = $("until").value;
    var type = $("type").value, cc = $("country").value.trim().toUpperCase();
    var actor = $("actor").value.trim();
    if (since) p.set("since", since);
    if (until) p.set("until", until);
    if (type) p.set("type", type);
    if (cc) p.set("country", cc);
    if (actor) p.set("actor", actor);
    return p;
  }

  function load() {
    var seq = ++state.seq;
    var p = filterParams();
    var pe = new URLSearchParams(p);
    if ($("merged").checked) pe.set("merged", "true");
    var qs = pe.toString() ? "?" + pe.toString() : "";
    pe.set("limit", String(MAP_PAGE));
    var qe = "?" + pe.toString();
    var pm = new URLSearchParams(p);
    pm.delete("merged");
    pm.delete("type"); // manners are not event types: flows are filtered by date and country only
    var qm = pm.toString() ? "?" + pm.toString() : "";
    var pf = new URLSearchParams(p); // figures: country is their origin, type would be a category
    pf.delete("type");
    var pl = new URLSearchParams(pm);
    pl.set("limit", String(MOVEMENT_LIST_LIMIT));
    status("Loading\u2026", "loading");
    Promise.all([
      getJSON("/api/events.geojson" + qe),
      getJSON("/api/flows.geojson" + qm),
      getJSON("/api/timeline" + qs),
      getJSON("/api/figures/by-origin" + (pf.toString() ? "?" + pf : "")),
      getJSON("/api/movements?" + pl),
    ]).then(function (res) {
      if (seq !== state.seq) return; // a newer load superseded this one
      drawEvents(res[0]);
      drawFlows(res[1]);
      if (state.loads === 0) fitToData(res[0], res[1]);
      drawTimeline(res[2]);
      drawFigures(res[3]);
      drawMovements(res[4]);
      state.flows = flowSummary(res[1]);
      state.unlocated = res[0].unlocated || 0;
      morePages(res[0], pe, seq);
    }).catch(function (e) {
      if (seq !== state.seq) return;
      status("Could not load: " + e.message, "error");
    });
  }

  /* the events come a page at a time (`next`): the first is drawn at once, the others
   * as they come, up to MAP_EVENTS_MAX markers */
  function eventStatus(ev, done) {
    var shown = state.events.length;
    return fmtInt(ev.total) + " events (" + fmtInt(shown) + " on the map" +
      (done ? "" : ", loading more") + ", " + fmtInt(state.unlocated) + " without coordinates" +
      (done && ev.next ? "; the first " + fmtInt(shown) + " by date: narrow the filters to see the others" : "") +
      "); " + state.flows + ".";
  }
  function morePages(fc, pe, seq) {
    if (seq !== state.seq) return;
    if (!fc.next || state.events.length >= MAP_EVENTS_MAX) {
      state.loads += 1;
      document.body.setAttribute("data-loads", String(state.loads));
      status(eventStatus(fc, true), "ready");
      return;
    }
    status(eventStatus(fc, false), "loading");
    var pn = new URLSearchParams(pe);
    pn.set("after", fc.next);
    getJSON("/api/events.geojson?" + pn).then(function (next) {
      if (seq !== state.seq) return;
      addEvents(next.features || []);
      // merged pages count the clusters without coordinates of their own page; the others
      // count every event matching the filters
      state.unlocated = next.merged ? state.unlocated + (next.unlocated || 0) : (next.unlocated || 0);
      morePages(next, pe, seq);
    }).catch(function (e) {
      if (seq !== state.seq) return;
      status("Could not load every event: " + e.message, "error");
    });
  }

  function fitToData(events, flows) {
    var pts = [];
    (events.features || []).forEach(function (f) { pts.push([f.geometry.coordinates[1], f.geometry.coordinates[0]]); });
    (flows.features || []).forEach(function (f) {
      if (f.geometry.type === "Point") pts.push([f.geometry.coordinates[1], f.geometry.coordinates[0]]);
      else f.geometry.coordinates.forEach(function (c) { pts.push([c[1], c[0]]); });
    });
    if (pts.length) map.fitBounds(L.latLngBounds(pts), { padding: [30, 30], maxZoom: 7, animate: false });
  }

  /* ---------------------------------------------------------------- events */
  function markerSize(f) {
    var n = f.properties.fatalities || 0;
    return Math.round(10 + Math.min(26, 4 * Math.sqrt(n)));
  }

  function drawEvents(fc) {
    clusters.clearLayers();
    markers = {};
    state.events = [];
    addEvents(fc.features || []);
  }

  function addEvents(features) {
    state.events = state.events.concat(features);
    var layers = features.map(function (f) {
      var c = f.geometry.coordinates, p = f.properties, size = markerSize(f);
      var m = L.marker([c[1], c[0]], {
        icon: L.divIcon({ className: "fft-event " + typeClass(p.event_type), html: "", iconSize: [size, size] }),
        title: (p.event_type || "event") + ", " + (p.place || "") + ", " + (p.date || "undated"),
        alt: p.event_type || "event",
        keyboard: true,
        riseOnHover: true,
      });
      m.on("click", function () { select(p.id); });
      m.on("add", function () {
        var icon = m.getElement();
        if (icon) {
          icon.setAttribute("data-id", p.id);
          if (state.selected === p.id) icon.classList.add("selected");
        }
      });
      markers[p.id] = m;
      return m;
    });
    clusters.addLayers(layers);
    listInView();
  }

  function listInView() {
    var ul = $("event-list");
    clear(ul);
    var bounds = map.getBounds();
    var inView = state.events.filter(function (f) {
      var c = f.geometry.coordinates;
      return bounds.contains([c[1], c[0]]) || bounds.contains([c[1], c[0] + 360]) || bounds.contains([c[1], c[0] - 360]);
    });
    inView.sort(function (a, b) {
      return String(b.properties.date_start || "").localeCompare(String(a.properties.date_start || ""));
    });
    $("inview-count").textContent = "(" + fmtInt(inView.length) + ")";
    inView.slice(0, 300).forEach(function (f) {
      var p = f.properties;
      var fat = p.fatalities !== null && p.fatalities !== undefined
        ? ", " + fmtQuantity(p.fatalities, p.fatalities_qualifier) + " killed" : "";
      if (p.n_sources > 1) fat += " \u00b7 " + p.n_sources + " sources";
      var li = el("li", { "data-id": p.id, className: state.selected === p.id ? "active" : "" }, [
        el("button", { type: "button" }, [
          el("span", { className: "swatch " + typeClass(p.event_type) }),
          el("span", { className: "when", text: p.date || "undated" }),
          el("span", { className: "what", text: (p.event_type || "event") + " \u2014 " + (p.place || "?") + fat }),
        ]),
      ]);
      li.firstChild.addEventListener("click", function () { select(p.id, true); });
      ul.appendChild(li);
    });
    if (inView.length > 300) ul.appendChild(el("li", { className: "hint", text: "\u2026 and " + fmtInt(inView.length - 300) + " more: zoom in." }));
  }
  map.on("moveend", listInView);

  function select(id, pan) {
    state.selected = id;
    document.querySelectorAll(".fft-event.selected").forEach(function (n) { n.classList.remove("selected"); });
    document.querySelectorAll("#event-list li.active").forEach(function (n) { n.classList.remove("active"); });
    var m = markers[id];
    if (m && pan) {
      clusters.zoomToShowLayer(m, function () {
        var icon = m.getElement();
        if (icon) icon.classList.add("selected");
      });
    } else if (m && m.getElement()) {
      m.getElement().classList.add("selected");
    }
    var li = document.querySelector('#event-list li[data-id="' + CSS.escape(id) + '"]');
    if (li) li.classList.add("active");
    showEvent(id);
  }

  /* ---------------------------------------------------------------- flows */
  function drawFlows(fc) {
    // flows come aggregated by the store (resolve.flows): one line per origin -> destination,
    // its width the number of distinct documents reporting it
    flowLayer.clearLayers();
    var color = getComputedStyle(document.documentElement).getPropertyValue("--flow").trim() || "#b03a2e";
    (fc.features || []).forEach(function (f) {
      if (f.geometry.type === "Point") { drawFlowEnd(f); return; }
      var p = f.properties, n = p.reports || 1, cs = f.geometry.coordinates;
      // a vertex half-way along each leg carries a direction arrow (marker-mid)
      var pts = [];
      cs.forEach(function (c, i) {
        if (i > 0) { var q = cs[i - 1]; pts.push([(q[1] + c[1]) / 2, (q[0] + c[0]) / 2]); }
        pts.push([c[1], c[0]]);
      });
      var line = L.polyline(pts, {
        renderer: flowRenderer,
        smoothFactor: 0,
        className: "fft-flow",
        color: color,
        weight: Math.min(14, 2 + 2 * n),
        opacity: 0.75,
      });
      var manners = Object.keys(p.manners || {}).join(", ");
      var tip = el("div", {}, [
        el("strong", { text: (p.origin || "?") + " \u2192 " + (p.destination || "?") }),
        el("br"),
        n + (n === 1 ? " report" : " reports") + (p.actors && p.actors.length ? ", " + p.actors.slice(0, 3).join(", ") : "") + (manners ? " (" + manners + ")" : ""),
        el("br"),
        [p.first_date, p.last_date].filter(Boolean).join(" \u2013 "),
      ]);
      line.bindTooltip(tip, { sticky: true });
      line.on("click", function () { showRecords((p.movement_ids || []).slice(0, 10)); });
      line.on("add", function () {
        ensureArrowDef();
        var path = line.getElement();
        if (path) {
          path.setAttribute("marker-end", "url(#fft-arrow)");
          path.setAttribute("marker-mid", "url(#fft-arrow)");
          path.setAttribute("data-reports", String(n));
          path.setAttribute("data-id", String(p.id || ""));
        }
      });
      flowLayer.addLayer(line);
    });
  }

  /* a flow with one located end: a marker there, an arrow toward it (its origin unknown)
   * or away from it (its destination unknown) */
  function drawFlowEnd(f) {
    var p = f.properties, n = p.reports || 1, c = f.geometry.coordinates;
    var toward = p.ends === "destination";
    var place = (toward ? p.destination : p.origin) || "?";
    var moves = p.movements || 1;
    var what = fmtInt(moves) + (moves === 1 ? " movement " : " movements ") + (toward ? "toward " : "from ") + place;
    var m = L.marker([c[1], c[0]], {
      // beside the place, not on it: an arrow from the left into it, or out of it to the right
      icon: L.divIcon({ className: "fft-flow-end " + (toward ? "to" : "from"), html: "", iconSize: [22, 22], iconAnchor: toward ? [32, 11] : [-10, 11] }),
      pane: "flowends",
      title: what + (toward ? " (origin not located)" : " (destination not located)"),
      alt: toward ? "movement toward a place" : "movement from a place",
      keyboard: true,
    });
    var manners = Object.keys(p.manners || {}).join(", ");
    m.bindTooltip(el("div", {}, [
      el("strong", { text: what }),
      el("br"),
      (toward ? "origin not located" : "destination not located") + "; " + n + (n === 1 ? " report" : " reports") +
        (p.actors && p.actors.length ? ", " + p.actors.slice(0, 3).join(", ") : "") + (manners ? " (" + manners + ")" : ""),
      el("br"),
      [p.first_date, p.last_date].filter(Boolean).join(" \u2013 "),
    ]));
    m.on("click", function () { showRecords((p.movement_ids || []).slice(0, 10)); });
    m.on("add", function () {
      var icon = m.getElement();
      if (icon) {
        icon.setAttribute("data-ends", String(p.ends));
        icon.setAttribute("data-id", String(p.id || ""));
        icon.setAttribute("data-movements", String(moves));
      }
    });
    flowLayer.addLayer(m);
  }

  function flowSummary(fc) {
    var lines = (fc.features || []).filter(function (f) { return f.geometry.type !== "Point"; }).length;
    var c = fc.movements || {};
    var parts = [fmtInt(lines) + (lines === 1 ? " flow" : " flows") + " of movements"];
    if (c.one_ended) parts.push(fmtInt(c.one_ended) + (c.one_ended === 1 ? " movement" : " movements") + " with one end located, shown at that end");
    if (c.not_drawn) parts.push(fmtInt(c.not_drawn) + (c.not_drawn === 1 ? " movement" : " movements") + " not drawn (no located place)");
    return parts.join("; ");
  }

  /* ---------------------------------------------------------------- movements list */
  function placeName(pl) { return pl ? pl.resolved_name || pl.name || "?" : null; }

  function drawMovements(res) {
    var ul = $("movement-list");
    clear(ul);
    var items = res.items || [];
    $("movement-count").textContent = "(" + fmtInt(res.total || 0) + ")";
    items.forEach(function (mv) {
      var o = placeName(mv.origin), d = placeName(mv.destination);
      var ends = o && d ? "\u2194" : d ? "\u2192" : o ? "\u2197" : "\u00b7";
      var who = mv.actor ? mv.actor.normalized || mv.actor.name : "";
      var size = mv.size ? fmtQuantity(mv.size.value, mv.size.qualifier, mv.size.upper) + " " : "";
      var route = (o || "?") + " \u2192 " + (d || "?");
      var li = el("li", { "data-id": mv.id || "" }, [
        el("button", { type: "button", title: ends === "\u2194" ? "both ends located" : "one end or none located" }, [
          el("span", { className: "ends", text: ends }),
          el("span", { className: "when", text: mv.date || "undated" }),
          el("span", { className: "what", text: size + (who ? who + ": " : "") + route + (mv.manner ? " (" + mv.manner + ")" : "") }),
        ]),
      ]);
      li.firstChild.addEventListener("click", function () { showRecords([mv.id]); });
      ul.appendChild(li);
    });
    if (!items.length) ul.appendChild(el("li", { className: "hint", text: "No movements for these filters." }));
    else if ((res.total || 0) > items.length) ul.appendChild(el("li", { className: "hint", text: "\u2026 and " + fmtInt(res.total - items.length) + " more: narrow the filters." }));
  }

  /* ---------------------------------------------------------------- record detail */
  function sentenceNode(src) {
    var sentence = String(src.sentence || "");
    var base = typeof src.sentence_start === "number" ? src.sentence_start : 0;
    var a = Math.max(0, Math.min(sentence.length, (src.start | 0) - base));
    var b = Math.max(a, Math.min(sentence.length, (src.end | 0) - base));
    return el("p", { className: "sentence" }, [
      sentence.slice(0, a),
      el("mark", { text: sentence.slice(a, b) }),
      sentence.slice(b),
    ]);
  }

  function recordHead(rec) {
    var dl = el("dl");
    function row(k, v) { if (v !== null && v !== undefined && v !== "") { dl.appendChild(el("dt", { text: k })); dl.appendChild(el("dd", { text: String(v) })); } }
    var title;
    if (rec.kind === "event") {
      title = (rec.event_type || "event") + (rec.sub_event_type ? " \u2014 " + rec.sub_event_type : "");
      row("Date", rec.date ? rec.date + " (" + rec.date_precision + ")" : "undated");
      var pl = rec.place || {};
      row("Place", pl.name ? (pl.resolved_name || pl.name) + (pl.country ? ", " + pl.country : "") + (pl.precision ? " (precision " + pl.precision + ")" : "") : "unlocated");
      row("Actors", (rec.actors || []).map(function (x) { return x.normalized || x.name; }).join("; "));
      if (rec.fatalities) row("Fatalities", fmtQuantity(rec.fatalities.value, rec.fatalities.qualifier, rec.fatalities.upper));
      row("Fatalities reported", spread(rec.fatalities_reported));
      if (rec.injured) row("Injured", fmtQuantity(rec.injured.value, rec.injured.qualifier, rec.injured.upper));
      row("Injured reported", spread(rec.injured_reported));
      row("Claimed by", rec.claimed_by);
      if (rec.n_sources) {
        row("Sources", fmtInt(rec.n_sources) + (rec.n_sources === 1 ? " document" : " documents") +
          (rec.first_report ? ", reported " + [rec.first_report, rec.last_report].filter(function (x, i, a) { return x && a.indexOf(x) === i; }).join(" \u2013 ") : ""));
      }
    } else if (rec.kind === "movement") {
      title = "Movement: " + ((rec.origin && rec.origin.name) || "?") + " \u2192 " + ((rec.destination && rec.destination.name) || "?");
      row("Who", rec.actor ? rec.actor.normalized || rec.actor.name : "");
      row("How", rec.manner);
      row("Via", (rec.via || []).map(function (v) { return v.name; }).join(", "));
      row("Date", rec.date ? rec.date + " (" + rec.date_precision + ")" : "undated");
      if (rec.size) row("Size", fmtQuantity(rec.size.value, rec.size.qualifier, rec.size.upper));
    } else if (rec.kind === "figure") {
      title = "Figure: " + fmtQuantity(rec.value, rec.qualifier, rec.upper) + " " + (rec.subject || "");
      row("Category", rec.category);
      row("Origin", rec.origin ? country(rec.origin) : "");
      row("Group", rec.group);
      row("As of", rec.as_of);
      row("Attributed to", rec.attributed_to);
    } else {
      title = rec.kind || "record";
    }
    row("Confidence", rec.confidence);
    row("Extractor", rec.extractor);
    return [el("p", { className: "record-head", text: title }), dl];
  }

  /* a figure several sources give: "30-35 (2 sources; most give 30)" */
  function spread(rep) {
    if (!rep || !rep.by_source || rep.by_source.length < 2) return null;
    var range = rep.min === rep.max ? fmtInt(rep.min) : fmtInt(rep.min) + "\u2013" + fmtInt(rep.max);
    return range + " (" + rep.by_source.length + " sources" + (rep.min !== rep.max ? "; most give " + fmtInt(rep.mode) : "") + ")";
  }

  /* what one source of a merged event says: "killed: 12 · injured: 3" */
  function perSource(rec, src) {
    var parts = [];
    [["killed", rec.fatalities_reported], ["injured", rec.injured_reported]].forEach(function (k) {
      var list = (k[1] && k[1].by_source) || [];
      var hit = list.filter(function (x) { return src.event_id ? x.event_id === src.event_id : x.document_id === src.document_id; })[0];
      if (hit) parts.push(k[0] + ": " + fmtQuantity(hit.value, hit.qualifier, hit.upper));
    });
    return parts.length ? el("div", { className: "per-source", text: "this source: " + parts.join(" \u00b7 ") }) : null;
  }

  function sourceNode(src, rec) {
    var href = safeUrl(src.url);
    var title = src.title || src.document_id || "source";
    var titleNode = href
      ? el("a", { href: href, rel: "noopener noreferrer", target: "_blank", text: title })
      : el("span", { text: title });
    return el("div", { className: "source", "data-document": src.document_id || "" }, [
      el("div", { className: "title" }, [titleNode]),
      el("div", { className: "meta", text: [src.source, src.published, "chars " + src.start + "\u2013" + src.end].filter(Boolean).join(" \u00b7 ") }),
      rec ? perSource(rec, src) : null,
      sentenceNode(src),
    ]);
  }

  function showRecords(ids, base) {
    var body = $("detail-body");
    clear(body);
    body.appendChild(el("p", { className: "hint", text: "Loading\u2026" }));
    Promise.all(ids.map(function (id) { return getJSON((base || "/api/records/") + encodeURIComponent(id)); }))
      .then(function (recs) {
        clear(body);
        recs.forEach(function (rec) {
          var box = el("article", { className: "record", "data-id": rec.id || "" }, recordHead(rec));
          (rec.sources || []).forEach(function (s) { box.appendChild(sourceNode(s, rec.kind === "event" ? rec : null)); });
          body.appendChild(box);
        });
      })
      .catch(function (e) { clear(body); body.appendChild(el("p", { className: "hint", text: "Could not load: " + e.message })); });
  }

  /* an event merged across its reports (as `fftrack show` gives it): figures per source */
  function showEvent(id) { showRecords([id], "/api/events/"); }

  /* ---------------------------------------------------------------- timeline */
  function svg(tag, attrs, text) {
    var n = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function mondayOf(iso) {
    var d = new Date(String(iso).slice(0, 10) + "T00:00:00Z");
    if (isNaN(d.getTime())) return null;
    d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    return d.toISOString().slice(0, 10);
  }

  /* weekly bars for events dated to a day or week; below them, one band per period for
   * events dated only to a month, season or year (a band spans its whole period) */
  function drawTimeline(tl) {
    var root = $("timeline");
    clear(root);
    var weeks = tl.weeks || [], types = tl.types || [], coarse = tl.coarse || [], counts = tl.counts || {};
    // like the slider, the chart covers the bulk of the reports where no date bounds it:
    // the few outside it (one 2005 mention among 2017's reports) are counted, not drawn
    var b0 = state.bulk, since = $("since").value, until = $("until").value;
    var from = b0 && b0.trimmedStart && !since && (!until || until >= b0.since) ? mondayOf(b0.since) : null;
    var to = b0 && b0.trimmedEnd && !until && (!since || since <= b0.until) ? b0.until : null;
    var before = 0, after = 0;
    if (from || to) {
      var kept = [], kc = {};
      types.forEach(function (t) { kc[t] = []; });
      weeks.forEach(function (w, i) {
        var n = types.reduce(function (s2, t) { return s2 + counts[t][i]; }, 0);
        if (from && w < from) before += n;
        else if (to && w > to) after += n;
        else { kept.push(w); types.forEach(function (t) { kc[t].push(counts[t][i]); }); }
      });
      coarse = coarse.filter(function (b) {
        if (from && b.end < from) { before += b.total; return false; }
        if (to && b.start > to) { after += b.total; return false; }
        return true;
      });
      weeks = kept;
      counts = kc;
    }
    root.setAttribute("data-first-week", weeks[0] || "");
    root.setAttribute("data-last-week", weeks[weeks.length - 1] || "");
    var index = {};
    weeks.forEach(function (w, i) { index[w] = i; });
    var at = function (iso, fallback) { var w = mondayOf(iso); return w !== null && w in index ? index[w] : fallback; };
    var lanes = [];
    var bands = coarse.map(function (b) {
      var i0 = at(b.start, 0), i1 = Math.max(i0, at(b.end, weeks.length - 1));
      var lane = 0;
      while (lane < lanes.length && lanes[lane] >= i0) lane++;
      lanes[lane] = i1;
      return { b: b, i0: i0, i1: i1, lane: lane };
    });
    var laneH = 14, base = 160, bandTop = base + 34;
    var W = Math.max(300, root.clientWidth || 600), left = 30, top = 8;
    var H = bands.length ? bandTop + lanes.length * laneH + 4 : 180;
    root.setAttribute("viewBox", "0 0 " + W + " " + H);
    root.setAttribute("height", String(H));
    var nCoarse = coarse.reduce(function (n, b) { return n + b.total; }, 0);
    var notes = [];
    if (nCoarse) notes.push(fmtInt(nCoarse) + (nCoarse === 1 ? " event is" : " events are") + " dated only to a month or coarser: the bands below the weeks span their period.");
    if (tl.undated) notes.push(fmtInt(tl.undated) + (tl.undated === 1 ? " undated event is" : " undated events are") + " not in the chart.");
    if (before) notes.push(fmtInt(before) + (before === 1 ? " event" : " events") + " before " + b0.since.slice(0, 7) + " (outside the bulk of the reports) not drawn: move the slider to its earliest end to see them.");
    if (after) notes.push(fmtInt(after) + (after === 1 ? " event" : " events") + " after " + b0.until.slice(0, 7) + " (outside the bulk of the reports) not drawn: move the slider to its latest end to see them.");
    $("timeline-note").textContent = notes.join(" ");
    if (!weeks.length) { root.appendChild(svg("text", { x: left, y: 90 }, "No dated events for these filters.")); return; }
    var totals = weeks.map(function (_, i) { return types.reduce(function (s, t) { return s + counts[t][i]; }, 0); });
    var max = Math.max.apply(null, totals.concat([1]));
    var bw = (W - left - 4) / weeks.length, scale = (base - top) / max;
    weeks.forEach(function (wk, i) {
      var y = base;
      types.forEach(function (t) {
        var n = counts[t][i];
        if (!n) return;
        var h = n * scale;
        y -= h;
        var w = Math.max(1, Math.min(bw - 1, 24));
        var r = svg("rect", { x: (left + i * bw + (bw - w) / 2).toFixed(2), y: y.toFixed(2), width: w.toFixed(2), height: h.toFixed(2), "class": typeClass(t) });
        r.appendChild(svg("title", {}, "week of " + wk + ": " + n + " " + t));
        root.appendChild(r);
      });
    });
    root.appendChild(svg("line", { x1: left, x2: W, y1: base, y2: base, stroke: "#999" }));
    root.appendChild(svg("text", { x: 2, y: top + 8 }, String(max)));
    root.appendChild(svg("text", { x: 2, y: base }, "0"));
    // about six week labels, evenly spaced, never overlapping
    var every = Math.max(1, Math.ceil(weeks.length / 6));
    for (var i = 0; i < weeks.length; i += every) {
      var x = left + i * bw + bw / 2;
      root.appendChild(svg("line", { x1: x, x2: x, y1: base, y2: base + 4, stroke: "#999" }));
      root.appendChild(svg("text", { x: x, y: base + 15, "text-anchor": i === 0 ? "start" : "middle" }, weeks[i]));
    }
    if (!bands.length) return;
    root.appendChild(svg("text", { x: 2, y: bandTop - 4 }, "dated to a month or coarser:"));
    bands.forEach(function (pb) {
      var b = pb.b, names = Object.keys(b.counts || {});
      var main = names.slice().sort(function (p, q) { return b.counts[q] - b.counts[p]; })[0];
      var x = left + pb.i0 * bw, w = Math.max(2, (pb.i1 - pb.i0 + 1) * bw - 1), y = bandTop + pb.lane * laneH;
      var r = svg("rect", {
        x: x.toFixed(2), y: y.toFixed(2), width: w.toFixed(2), height: String(laneH - 2),
        "class": "coarse " + typeClass(main), "data-precision": b.precision, "data-total": String(b.total),
      });
      r.appendChild(svg("title", {}, b.start + " \u2013 " + b.end + " (" + b.precision + "): " + b.total +
        (b.total === 1 ? " event: " : " events: ") + names.map(function (t) { return b.counts[t] + " " + t; }).join(", ")));
      root.appendChild(r);
      if (w > 14) root.appendChild(svg("text", { x: (x + 3).toFixed(2), y: (y + laneH - 4).toFixed(2), "class": "band-count" }, String(b.total)));
    });
  }

  /* ---------------------------------------------------------------- figures */
  function drawFigures(res) {
    var tbody = $("figures").querySelector("tbody");
    clear(tbody);
    (res.items || []).forEach(function (g) {
      var btn = el("button", { type: "button", text: fmtQuantity(g.max_value, g.max_qualifier, g.max_upper) });
      btn.addEventListener("click", function () { showRecords([g.max_id]); });
      tbody.appendChild(el("tr", {}, [
        el("td", { text: g.origin ? country(g.origin) : "not given" }),
        el("td", { text: fmtInt(g.reports) }),
        el("td", {}, [btn]),
        el("td", { text: (g.categories || []).join(", ") }),
      ]));
    });
    if (!(res.items || []).length) tbody.appendChild(el("tr", {}, [el("td", { text: "No figures.", colSpan: 4 })]));
  }

  /* ---------------------------------------------------------------- filters */
  function monthEnd(m) {
    var y = +m.slice(0, 4), mo = +m.slice(5, 7);
    var d = new Date(Date.UTC(y, mo, 0));
    return d.toISOString().slice(0, 10);
  }
  function syncRangeLabel() {
    var a = +$("range-from").value, b = +$("range-to").value;
    $("range-label").textContent = state.slots.length ? state.slots[a].label + " \u2013 " + state.slots[b].label : "";
  }
  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(load, 250); }

  function onRange(which) {
    var from = $("range-from"), to = $("range-to");
    if (+from.value > +to.value) { if (which === "from") to.value = from.value; else from.value = to.value; }
    $("since").value = state.slots[+from.value].since;
    $("until").value = state.slots[+to.value].until;
    syncRangeLabel();
    later();
  }
  var player = null;
  function stopPlay() {
    if (player !== null) clearInterval(player);
    player = null;
    $("play").textContent = "\u25b6 by month";
  }
  $("play").addEventListener("click", function () {
    if (player !== null) { stopPlay(); return; }
    if (!state.slots.length) return;
    var i = +$("range-from").value;
    $("play").textContent = "\u25a0 stop";
    var step = function () {
      while (i < state.slots.length && !state.slots[i].month) i += 1; // months only
      if (i >= state.slots.length) { stopPlay(); return; }
      $("range-from").value = String(i);
      $("range-to").value = String(i);
      $("since").value = state.slots[i].since;
      $("until").value = state.slots[i].until;
      syncRangeLabel();
      load();
      i += 1;
    };
    step();
    player = setInterval(step, 1500);
  });
  $("range-from").addEventListener("input", function () { stopPlay(); onRange("from"); });
  $("range-to").addEventListener("input", function () { stopPlay(); onRange("to"); });
  ["since", "until", "type", "merged"].forEach(function (id) { $(id).addEventListener("change", load); });
  $("actor").addEventListener("input", later);
  $("country").addEventListener("input", function () {
    var v = this.value.trim();
    if (v.length === 0 || v.length === 2) later();
  });
  $("filters").addEventListener("submit", function (e) { e.preventDefault(); load(); });
  $("reset").addEventListener("click", function () {
    stopPlay();
    $("since").value = ""; $("until").value = ""; $("type").value = ""; $("country").value = ""; $("actor").value = "";
    $("range-from").value = "0"; $("range-to").value = String(Math.max(0, state.slots.length - 1));
    syncRangeLabel();
    load();
  });

  function buildLegend(stats) {
    var legend = $("legend");
    clear(legend);
    var types = TYPES.map(function (t) { return t[0]; });
    Object.keys(stats.events_by_type || {}).forEach(function (t) { if (types.indexOf(t) < 0) types.push(t); });
    types.forEach(function (t) {
      legend.appendChild(el("span", {}, [el("span", { className: "swatch " + typeClass(t) }), t]));
      if (t !== "") $("type").appendChild(el("option", { value: t, text: t }));
    });
    legend.appendChild(el("span", {}, [el("span", { className: "flow-key" }), "movement flow (width: number of reports)"]));
    legend.appendChild(el("span", {}, [el("span", { className: "flow-end-key", text: "\u2192" }), "movement toward a place, origin not located"]));
    legend.appendChild(el("span", {}, [el("span", { className: "flow-end-key", text: "\u2197" }), "movement from a place, destination not located"]));
    legend.appendChild(el("span", { className: "hint", text: "dot size: fatalities" }));
  }

  /* The slider's scale: the months of the bulk of the reports (2nd to 98th percentile of
   * events by month), so that one historical mention does not stretch it over decades;
   * where reports lie outside the bulk, one more step at each end reaches them all. A
   * slot is {label, since, until}: what the first handle sets there, and the second. */
  var BULK = 0.02;
  function buildMonths(stats) {
    var counts = stats.events_by_month || {};
    var months = Object.keys(counts).sort();
    if (months.length) {
      var out = [], y = +months[0].slice(0, 4), m = +months[0].slice(5, 7);
      var last = months[months.length - 1];
      for (var i = 0; i < 2400; i++) {
        var key = y + "-" + (m < 10 ? "0" : "") + m;
        out.push(key);
        if (key >= last) break;
        m += 1; if (m > 12) { m = 1; y += 1; }
      }
      months = out;
    }
    var total = months.reduce(function (n, k) { return n + (counts[k] || 0); }, 0);
    var lo = 0, hi = months.length - 1, cum = 0, j;
    for (j = 0; j < months.length; j++) { cum += counts[months[j]] || 0; if (cum > BULK * total) { lo = j; break; } }
    for (cum = 0, j = months.length - 1; j >= 0; j--) { cum += counts[months[j]] || 0; if (cum > BULK * total) { hi = j; break; } }
    if (hi < lo) { lo = 0; hi = months.length - 1; }
    var slots = [];
    if (lo > 0) slots.push({ label: "earliest (" + months[0] + ")", since: "", until: monthEnd(months[lo - 1]), open: "start" });
    for (j = lo; j <= hi; j++) slots.push({ label: months[j], since: months[j] + "-01", until: monthEnd(months[j]), month: months[j] });
    if (hi < months.length - 1 && months.length) {
      slots.push({ label: "latest (" + months[months.length - 1] + ")", since: months[hi + 1] + "-01", until: "", open: "end" });
    }
    state.slots = slots;
    state.bulk = months.length ? { since: months[lo] + "-01", until: monthEnd(months[hi]), trimmedStart: lo > 0, trimmedEnd: hi < months.length - 1 } : null;
    var max = String(Math.max(0, slots.length - 1));
    ["range-from", "range-to"].forEach(function (id) { $(id).max = max; $(id).disabled = !slots.length; });
    $("range-from").value = "0";
    $("range-to").value = max;
    syncRangeLabel();
  }

  getJSON("/api/stats").then(function (stats) {
    buildLegend(stats);
    buildMonths(stats);
    load();
  }).catch(function (e) { status("Could not reach the API: " + e.message, "error"); });
})();
