// The grid map and the party-building sandbox: each ticked layer is loaded as
// GeoJSON for the visible box (again when the map moves), points clustered;
// a click opens the feature's page. The ticks are remembered on the device.
(function () {
  "use strict";
  var element = document.getElementById("ledger-map");
  if (!element || !window.L) return;
  var msg = element.dataset;
  var status = document.getElementById("map-status");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=layer]"));
  var STORE = "civicgrid.ledger-map.layers";

  var COLOURS = {
    good: "#2e7d32", damaged: "#c62828", lost: "#6d4c41",
    general: "#607d8b", attention: "#f9a825", warning: "#ef6c00", urgent: "#b71c1c",
  };
  var LAYER_COLOURS = {
    appeals: "#1565c0", overdue: "#c62828", whistles: "#6a1b9a", stations: "#00838f",
    organisations: "#c62828", positions: "#ad1457", members: "#b71c1c", pairings: "#c62828",
    buildings: "#546e7a",
  };
  var POLYGONS = { grids: true, buildings: true, pairings: true };

  var map = L.map(element, { attributionControl: false, zoomSnap: 0.25, maxZoom: 19 });
  var bounds = JSON.parse(document.getElementById("map-bounds").textContent || "null");
  if (bounds) map.fitBounds(bounds, { padding: [8, 8] });
  else map.setView([29.65, 91.05], 13);

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function popup(feature) {
    var p = feature.properties || {};
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.label || "";
    box.appendChild(title);
    if (p.code) box.appendChild(document.createElement("br")), box.appendChild(text(p.code));
    if (p.workers && p.workers.length) {
      box.appendChild(document.createElement("br"));
      box.appendChild(text(msg.msgWorkers + ": " + p.workers.join("、")));
    }
    if (p.count !== undefined) {
      box.appendChild(document.createElement("br"));
      box.appendChild(text(p.count + " " + msg.msgMembers));
    }
    if (p.url) {
      box.appendChild(document.createElement("br"));
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = msg.msgOpen;
      box.appendChild(link);
    }
    return box;
  }

  function colourOf(name, p) {
    if (name === "components") return COLOURS[p.state] || COLOURS.good;
    if (name === "opinions") return COLOURS[p.risk] || COLOURS.general;
    if (name === "appeals" && p.overdue) return LAYER_COLOURS.overdue;
    return LAYER_COLOURS[name] || "#0b57d0";
  }

  function marker(name, feature, latlng) {
    var p = feature.properties || {};
    if (name === "members") {
      return L.marker(latlng, {
        icon: L.divIcon({ className: "count-marker", html: String(p.count), iconSize: [34, 34] }),
        title: p.label + " · " + p.count + " " + msg.msgMembers,
      });
    }
    return L.circleMarker(latlng, {
      radius: 8, color: "#fff", weight: 2, fillColor: colourOf(name, p), fillOpacity: 0.95,
    });
  }

  var layers = {};
  function makeLayer(name) {
    var geo = L.geoJSON(null, {
      style: function (feature) {
        if (name === "grids") return { color: "#0b57d0", weight: 2, fillOpacity: 0.06 };
        if (name === "pairings") return { color: "#c62828", weight: 2, dashArray: "6 4" };
        if (name === "buildings") {
          return { color: "#546e7a", weight: 1, fillColor: "#90a4ae", fillOpacity: 0.35 };
        }
        return {};  // points keep the colours marker() gave them
      },
      pointToLayer: function (feature, latlng) { return marker(name, feature, latlng); },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(popup(feature));
        if (name === "grids") {
          layer.bindTooltip(text(feature.properties.label), { direction: "center", className: "grid-name" });
        }
      },
    });
    var holder = POLYGONS[name] ? geo : L.markerClusterGroup({
      maxClusterRadius: 40, showCoverageOnHover: false, disableClusteringAtZoom: 17,
    });
    return { geo: geo, holder: holder, request: 0 };
  }

  function say(message) {
    status.hidden = !message;
    status.textContent = message || "";
  }

  var truncated = {};
  function load(name) {
    var entry = layers[name] || (layers[name] = makeLayer(name));
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
      .map(function (v) { return v.toFixed(6); }).join(",");
    var ticket = ++entry.request;
    fetch(msg.layerUrl.replace("LAYER", name) + "?bbox=" + bbox, {
      credentials: "same-origin", headers: { Accept: "application/json" },
    })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        if (ticket !== entry.request) return;  // an older answer than the last asked
        entry.geo.clearLayers();
        entry.geo.addData(data);
        if (entry.holder !== entry.geo) {
          entry.holder.clearLayers();
          entry.holder.addLayer(entry.geo);
        }
        if (!map.hasLayer(entry.holder)) entry.holder.addTo(map);
        if (name === "grids") entry.holder.bringToBack && entry.holder.bringToBack();
        var count = document.querySelector("[data-count=" + name + "]");
        if (count) count.textContent = "(" + data.features.length + (data.truncated ? "+" : "") + ")";
        truncated[name] = data.truncated;
        var any = Object.keys(truncated).some(function (k) { return truncated[k] && isOn(k); });
        say(any ? msg.msgTruncated : "");
        element.dataset.loaded = (element.dataset.loaded || "") + " " + name;
      })
      .catch(function () { say(msg.msgFailed); });
  }

  function isOn(name) {
    return boxes.some(function (box) { return box.value === name && box.checked; });
  }

  function apply() {
    boxes.forEach(function (box) {
      var entry = layers[box.value];
      if (box.checked) load(box.value);
      else if (entry && map.hasLayer(entry.holder)) {
        map.removeLayer(entry.holder);
        truncated[box.value] = false;
      }
    });
    try {
      localStorage.setItem(STORE, JSON.stringify(boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; })));
    } catch (e) { /* private mode: not remembered */ }
  }

  try {
    var kept = JSON.parse(localStorage.getItem(STORE) || "null");
    if (Array.isArray(kept)) boxes.forEach(function (box) { box.checked = kept.indexOf(box.value) >= 0; });
  } catch (e) { /* nothing remembered */ }

  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  var timer = null;
  map.on("moveend", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  // On a phone the layer panel starts folded, so the map has the screen.
  var panel = document.getElementById("map-layers");
  if (panel && window.matchMedia && window.matchMedia("(max-width: 640px)").matches) panel.open = false;
  apply();
})();
