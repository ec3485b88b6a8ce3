// The map editor (地图编辑): the street's grids with their codes and its
// buildings, edited with Leaflet-Geoman. A chosen grid's or footprint's corners
// move (and snap to the neighbouring grids', so shared borders stay shared); a
// building without a footprint gets one drawn. Save sends each changed shape
// to its JSON endpoint and says what was saved, or what is wrong.
(function () {
  "use strict";
  var element = document.getElementById("map-edit");
  if (!element || !window.L || !L.PM) return;
  var grids = JSON.parse(document.getElementById("map-edit-grids").textContent);
  var buildings = JSON.parse(document.getElementById("map-edit-buildings").textContent);
  var msg = element.dataset;
  var status = document.getElementById("map-edit-status");
  var gridChoice = document.getElementById("grid-choice");
  var buildingChoice = document.getElementById("building-choice");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var SNAP = { snappable: true, snapDistance: 20, allowSelfIntersection: false };

  var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  if ((document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0) {
    map.pm.setLang("zh");
  }
  map.pm.setGlobalOptions(SNAP);
  map.pm.addControls({
    position: "topleft",
    drawMarker: false,
    drawCircleMarker: false,
    drawPolyline: false,
    drawRectangle: false,
    drawCircle: false,
    drawText: false,
    drawPolygon: true,
    editMode: false,
    dragMode: false,
    cutPolygon: false,
    removalMode: false,
    rotateMode: false,
  });

  // Built as text, never as markup: names are data.
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }
  function say(message, isError) {
    var item = document.createElement("li");
    item.textContent = message;
    if (isError) item.className = "error";
    status.insertBefore(item, status.firstChild);
    while (status.children.length > 6) status.removeChild(status.lastChild);
  }
  function clearStatus() { status.textContent = ""; }

  var items = {};   // "grid:<code>" or "building:<id>" → {kind, layer, data, dirty}
  var editing = null;
  var GRID_STYLE = { color: "#0b57d0", weight: 2, fillOpacity: 0.08 };
  var GRID_CHOSEN = { color: "#b3261e", weight: 3, fillOpacity: 0.12 };
  var FOOTPRINT = { color: "#8a5a00", weight: 2, fillColor: "#e8a317", fillOpacity: 0.35 };

  function polygonOf(geometry, style) {
    var layer = null;
    L.geoJSON(geometry, { style: function () { return style; } }).eachLayer(function (l) {
      layer = l;
    });
    return layer;
  }

  var bounds = L.latLngBounds([]);
  grids.features.forEach(function (feature) {
    var layer = polygonOf(feature.geometry, GRID_STYLE);
    if (!layer) return;
    layer.addTo(map);
    layer.bindTooltip(text(feature.properties.code.slice(-3) + " " + feature.properties.name), {
      permanent: true, direction: "center", className: "grid-code",
    });
    var key = "grid:" + feature.properties.code;
    items[key] = { kind: "grid", layer: layer, data: feature.properties, dirty: false,
                   original: feature.geometry };
    // A click while drawing is a corner of the drawing, not a choice.
    layer.on("click", function () {
      if (!map.pm.globalDrawModeEnabled()) choose(key);
    });
    bounds.extend(layer.getBounds());
  });

  function addBuildingLayer(b) {
    var key = "building:" + b.id;
    var old = items[key];
    if (old && old.layer) map.removeLayer(old.layer);
    var layer;
    if (b.footprint) {
      layer = polygonOf(b.footprint, FOOTPRINT);
    } else if (b.lon !== null && b.lat !== null) {
      // Not a shape to snap to: only a place to click.
      layer = L.circleMarker([b.lat, b.lon], {
        radius: 9, color: "#fff", weight: 2, fillColor: "#8a5a00", fillOpacity: 0.9,
        snapIgnore: true, pmIgnore: true,
      });
    }
    items[key] = { kind: "building", layer: layer || null, data: b, dirty: false,
                   original: b.footprint };
    if (layer) {
      layer.addTo(map);
      layer.bindTooltip(text(b.name));
      layer.on("click", function (event) {
        if (map.pm.globalDrawModeEnabled()) return;
        L.DomEvent.stopPropagation(event);
        choose(key);
      });
    }
  }
  buildings.forEach(addBuildingLayer);
  // Close in, the grids' labels would hide the footprints under them.
  map.on("zoomend", function () {
    element.classList.toggle("zoomed-in", map.getZoom() >= 18);
  });
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
  else map.setView([29.65, 91.1], 12);

  function stopEditing() {
    if (!editing) return;
    var item = items[editing];
    if (item.layer && item.layer.pm) item.layer.pm.disable();
    if (item.kind === "grid") item.layer.setStyle(GRID_STYLE);
    map.pm.disableDraw();
    editing = null;
  }

  function choose(key) {
    if (editing === key) return;
    stopEditing();
    var item = items[key];
    if (!item) return;
    editing = key;
    gridChoice.value = item.kind === "grid" ? item.data.code : "";
    buildingChoice.value = item.kind === "building" ? String(item.data.id) : "";
    if (item.kind === "grid") item.layer.setStyle(GRID_CHOSEN);
    if (item.layer && item.layer instanceof L.Polygon) {
      item.layer.pm.enable(SNAP);
      item.layer.bringToFront();
      say(msg.msgEditing);
    } else {
      map.pm.enableDraw("Polygon", SNAP);
      say(msg.msgDraw);
    }
  }

  gridChoice.addEventListener("change", function () {
    if (gridChoice.value) {
      choose("grid:" + gridChoice.value);
      map.fitBounds(items["grid:" + gridChoice.value].layer.getBounds(), { padding: [40, 40] });
    } else stopEditing();
  });
  buildingChoice.addEventListener("change", function () {
    if (!buildingChoice.value) { stopEditing(); return; }
    var key = "building:" + buildingChoice.value;
    choose(key);
    var layer = items[key].layer;
    if (layer) map.setView(layer.getBounds ? layer.getBounds().getCenter() : layer.getLatLng(), 18);
  });

  map.on("pm:edit pm:markerdragend pm:vertexadded pm:vertexremoved", function () {
    if (editing) items[editing].dirty = true;
  });
  // A vertex moved: geoman fires pm:edit on the layer itself.
  Object.keys(items).forEach(function (key) {
    var layer = items[key].layer;
    if (layer) layer.on("pm:edit", function () { items[key].dirty = true; });
  });

  map.on("pm:create", function (event) {
    var item = editing ? items[editing] : null;
    if (!item || item.kind !== "building") {
      map.removeLayer(event.layer);
      say(msg.msgChoose, true);
      return;
    }
    if (item.layer) map.removeLayer(item.layer);
    event.layer.setStyle(FOOTPRINT);
    item.layer = event.layer;
    item.dirty = true;
    event.layer.on("pm:edit", function () { item.dirty = true; });
    event.layer.pm.enable(SNAP);
    say(msg.msgDrawn);
  });

  function post(item) {
    var geometry = item.layer.toGeoJSON(false).geometry;
    var body = item.kind === "grid"
      ? { boundary: geometry, revision: item.data.revision }
      : { footprint: geometry, revision: item.data.revision };
    return fetch(item.data.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) { say(answer.error || msg.msgFailed, true); return; }
        say(answer.message);
        item.dirty = false;
        if (item.kind === "grid") {
          item.data.revision = answer.feature.properties.revision;
          item.original = answer.feature.geometry;
        } else {
          stopEditing();
          addBuildingLayer(answer.building);
        }
      });
    }).catch(function () { say(msg.msgFailed, true); });
  }

  document.getElementById("map-edit-save").addEventListener("click", function () {
    var dirty = Object.keys(items).filter(function (key) { return items[key].dirty; });
    if (!dirty.length) { say(msg.msgNothing); return; }
    clearStatus();
    say(msg.msgSaving);
    dirty.reduce(function (chain, key) {
      return chain.then(function () { return post(items[key]); });
    }, Promise.resolve()).then(function () {
      var saving = Array.prototype.filter.call(status.children, function (li) {
        return li.textContent === msg.msgSaving;
      });
      saving.forEach(function (li) { status.removeChild(li); });
    });
  });

  document.getElementById("map-edit-undo").addEventListener("click", function () {
    stopEditing();
    Object.keys(items).forEach(function (key) {
      var item = items[key];
      if (!item.dirty) return;
      if (item.kind === "grid") {
        var layer = polygonOf(item.original, GRID_STYLE);
        item.layer.setLatLngs(layer.getLatLngs());
        item.dirty = false;
      } else {
        addBuildingLayer(item.data);
      }
    });
    clearStatus();
  });

  // Come from a grid's admin page: that grid, ready to edit.
  var wanted = new URLSearchParams(window.location.search).get("grid");
  if (wanted && items["grid:" + wanted]) {
    gridChoice.value = wanted;
    gridChoice.dispatchEvent(new Event("change"));
  }

  window.CivicGridMapEdit = { map: map, items: items };
  window.addEventListener("load", function () { map.invalidateSize(); });
})();
