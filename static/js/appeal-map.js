// The appeal's pin and its grid, on the console's appeal page.
(function () {
  "use strict";
  var element = document.getElementById("appeal-map");
  if (!element || !window.L) return;
  var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
  var map = L.map(element, { attributionControl: false }).setView(point, 16);
  var source = document.getElementById("grid-boundary");
  var grid = source ? JSON.parse(source.textContent) : null;
  var layer = null;
  if (grid) {
    layer = L.geoJSON(grid, { style: { color: "#0b57d0", weight: 2, fillOpacity: 0.06 } }).addTo(map);
  }
  L.circleMarker(point, { radius: 8, color: "#b3261e", weight: 3, fillOpacity: 0.6 }).addTo(map);
  function frame() {
    // The page's columns settle after the map is made: measure again, then fit.
    map.invalidateSize();
    if (layer) map.fitBounds(layer.getBounds().extend(point), { padding: [16, 16] });
  }
  frame();
  window.addEventListener("load", frame);
})();
