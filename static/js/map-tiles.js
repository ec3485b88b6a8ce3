// Every Leaflet map of the platform gets the base map tiles of the setting
// CIVICGRID_MAP_TILE_URL (on <body data-map-tiles>); without it, none: the maps
// draw our own GeoJSON on a plain ground, as closed networks need.
(function () {
  "use strict";
  var url = document.body && document.body.getAttribute("data-map-tiles");
  if (!url || !window.L) return;
  L.Map.addInitHook(function () {
    L.tileLayer(url, { maxZoom: 19 }).addTo(this);
  });
})();
