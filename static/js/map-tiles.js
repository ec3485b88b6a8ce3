// Every Leaflet map of the platform gets the base map tiles of the setting
// CIVICGRID_MAP_TILE_URL (on <body data-map-tiles>); without it, none: the maps
// draw our own GeoJSON on a plain ground, as closed networks need. Its zoom
// buttons are named in the page's language (<body data-zoom-in/-out>), not
// Leaflet's English, for screen readers.
(function () {
  "use strict";
  var body = document.body;
  if (!body || !window.L) return;
  var zoom = L.Control.Zoom.prototype.options;
  zoom.zoomInTitle = body.getAttribute("data-zoom-in") || zoom.zoomInTitle;
  zoom.zoomOutTitle = body.getAttribute("data-zoom-out") || zoom.zoomOutTitle;
  var url = body.getAttribute("data-map-tiles");
  if (!url) return;
  L.Map.addInitHook(function () {
    L.tileLayer(url, { maxZoom: 19 }).addTo(this);
  });
})();
