// The three rates pages: the month-by-month chart (ECharts) and the grid map
// coloured by appeals received or by score (Leaflet, without base tiles).
(function () {
  "use strict";
  function data(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  function pct(v) { return v === null ? null : Math.round(v * 1000) / 10; }

  var trend = data("trend-data");
  var chartElement = document.getElementById("trend-chart");
  if (trend && chartElement && window.echarts) {
    var labels = chartElement.dataset;
    var chart = echarts.init(chartElement);
    var series = [
      ["response", labels.response || "响应率"],
      ["resolution", labels.resolution || "解决率"],
      ["satisfaction", labels.satisfaction || "满意率"],
      ["on_time", labels.onTime || "按时办结率"],
    ].map(function (pair) {
      return {
        name: pair[1], type: "line", connectNulls: true, symbolSize: 6,
        data: trend.map(function (row) { return pct(row[pair[0]]); }),
      };
    });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 30 },
      xAxis: { type: "category", data: trend.map(function (row) { return row.month; }) },
      yAxis: { type: "value", min: function (v) { return Math.max(0, Math.floor(v.min / 10) * 10); }, max: 100 },
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var grids = data("grid-data");
  var mapElement = document.getElementById("grid-map");
  if (grids && mapElement && window.L) {
    var map = L.map(mapElement, { attributionControl: false, zoomSnap: 0.25 });
    var most = Math.max.apply(null, grids.features.map(function (f) { return f.properties.intake; }).concat([1]));
    var by = "intake";
    function colour(p) {
      if (by === "score") {
        if (p.score === null) return "#cccccc";
        var s = Math.max(0, Math.min(1, (p.score - 60) / 40));
        return "hsl(" + Math.round(s * 120) + ", 70%, 45%)";  // red → green
      }
      var share = p.intake / most;
      return "hsl(210, 80%, " + Math.round(90 - share * 55) + "%)";  // light → dark blue
    }
    var layer = L.geoJSON(grids, {
      style: function (f) { return { color: "#555", weight: 1, fillColor: colour(f.properties), fillOpacity: 0.75 }; },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        var score = p.score === null ? "—" : p.score.toFixed(1);
        lyr.bindTooltip(window.CivicGridMap.textLabel(p.name + " · " + p.intake + " · " + score));
      },
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
    document.querySelectorAll("input[name=colour]").forEach(function (input) {
      input.addEventListener("change", function () {
        by = input.value;
        layer.setStyle(function (f) { return { fillColor: colour(f.properties) }; });
      });
    });
  }
})();
