// Admin: preview the GeoJSON boundary typed in the text box on a map, live.
(function () {
  "use strict";
  function setup(box) {
    var textarea = document.getElementById(box.dataset.source);
    var status = document.querySelector('.boundary-preview-status[data-source="' + box.dataset.source + '"]');
    if (!textarea) return;
    var map = L.map(box, { attributionControl: false });
    map.setView([29.65, 91.05], 12);
    var layer = null;
    if (textarea.dataset.context) {
      L.geoJSON(JSON.parse(textarea.dataset.context), {
        style: function (feature) {
          return feature.properties.self
            ? { color: "#555", weight: 2, dashArray: "6 4", fill: false }
            : { color: "#0b57d0", weight: 1, fillOpacity: 0.08 };
        },
        onEachFeature: function (feature, lyr) {
          lyr.bindTooltip(window.CivicGridMap.textLabel(feature.properties.name + " · " + feature.properties.code));
        },
      }).addTo(map);
    }
    function redraw() {
      if (layer) { map.removeLayer(layer); layer = null; }
      var text = textarea.value.trim();
      if (!text) { if (status) status.textContent = ""; return; }
      try {
        var data = JSON.parse(text);
        layer = L.geoJSON(data, { style: { color: "#b3261e", weight: 2, fillOpacity: 0.15 } }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
        if (status) status.textContent = "";
      } catch (err) {
        if (status) status.textContent = "JSON: " + err.message;
      }
    }
    textarea.addEventListener("input", redraw);
    redraw();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".boundary-preview").forEach(setup);
  });
})();
