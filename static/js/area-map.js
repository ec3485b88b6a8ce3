// Draws an area and the areas under it from GeoJSON (base tiles, if any, come
// from map-tiles.js).
(function () {
  "use strict";
  // Leaflet puts a string tooltip in as HTML; names are data, so give it text.
  function textLabel(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }
  function drawAreaMap(element, collection) {
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    var layer = L.geoJSON(collection, {
      style: function (feature) {
        var own = feature.properties && feature.properties.self;
        return own
          ? { color: "#b3261e", weight: 3, fillOpacity: 0.05 }
          : { color: "#0b57d0", weight: 1.5, fillOpacity: 0.12 };
      },
      onEachFeature: function (feature, lyr) {
        if (feature.properties && !feature.properties.self) {
          lyr.bindTooltip(textLabel(feature.properties.name + " · " + feature.properties.code));
        }
      },
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
    window.CivicGridMap.maps.push(map);
    return map;
  }
  window.CivicGridMap = { draw: drawAreaMap, textLabel: textLabel, maps: [] };
  var element = document.getElementById("area-map");
  var data = document.getElementById("area-features");
  if (element && data) drawAreaMap(element, JSON.parse(data.textContent));
})();
