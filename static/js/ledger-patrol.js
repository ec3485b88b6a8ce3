// The patrol log on a phone: fills the forms' longitude and latitude from the
// browser's location, posts the phone's point to the patrol's route every
// little while, and draws a patrol's route over its grid (no base tiles).
(function () {
  "use strict";
  var geo = navigator.geolocation;

  function fill(position) {
    var lon = position.coords.longitude.toFixed(6);
    var lat = position.coords.latitude.toFixed(6);
    document.querySelectorAll("form.located").forEach(function (form) {
      if (form.elements.lon) form.elements.lon.value = lon;
      if (form.elements.lat) form.elements.lat.value = lat;
    });
    var status = document.getElementById("location-status");
    if (status) status.textContent = status.dataset.located;
    return { lon: lon, lat: lat };
  }

  if (geo && document.querySelector("form.located")) {
    geo.getCurrentPosition(fill, function () {}, {
      enableHighAccuracy: true,
      timeout: 10000,
      maximumAge: 30000,
    });
  }

  // The route: a point every interval while the patrol is open.
  var tracker = document.getElementById("patrol-tracker");
  if (geo && tracker) {
    var url = tracker.dataset.pointUrl;
    var every = parseInt(tracker.dataset.interval || "30", 10) * 1000;
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var counter = document.getElementById("route-points");
    var send = function (position) {
      var point = fill(position);
      var at = new Date(position.timestamp || Date.now()).toISOString();
      var body = new URLSearchParams();
      body.append("lon", point.lon);
      body.append("lat", point.lat);
      body.append("at", at);
      // Without signal the point is kept on the phone with the time it was
      // taken, and sent with the others when the signal returns (offline.js).
      var keep = function () {
        if (!window.CivicGridOutbox) return;
        window.CivicGridOutbox.add({
          action: url,
          quiet: true,
          fields: [
            ["csrfmiddlewaretoken", token ? token.value : ""],
            ["lon", point.lon], ["lat", point.lat], ["at", at],
          ],
        });
      };
      if (!navigator.onLine) { keep(); return; }
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (counter && answer.points !== undefined) counter.textContent = answer.points;
        })
        .catch(keep);
    };
    var locate = function () {
      geo.getCurrentPosition(send, function () {}, {
        enableHighAccuracy: true,
        timeout: 15000,
        maximumAge: 10000,
      });
    };
    locate();
    window.setInterval(locate, every);
  }

  // A patrol's route over its grid, and the 社情民意 heard on the way.
  var element = document.getElementById("patrol-map");
  var data = document.getElementById("patrol-route");
  if (element && data && window.L && window.CivicGridMap) {
    var collection = JSON.parse(data.textContent);
    var grid = collection.features.filter(function (f) { return f.properties.kind === "grid"; });
    var map = window.CivicGridMap.draw(element, { type: "FeatureCollection", features: grid });
    var colours = { general: "#1e7d32", attention: "#0b57d0", warning: "#e8a317", urgent: "#b3261e" };
    var bounds = L.latLngBounds([]);
    collection.features.forEach(function (feature) {
      var kind = feature.properties.kind;
      if (kind === "route" && feature.geometry.type === "LineString") {
        var line = L.geoJSON(feature, { style: { color: "#6a1b9a", weight: 4 } }).addTo(map);
        bounds.extend(line.getBounds());
      } else if (kind === "route" || kind === "opinion") {
        var c = feature.geometry.coordinates;
        L.circleMarker([c[1], c[0]], {
          radius: kind === "opinion" ? 9 : 6,
          color: "#fff",
          weight: 2,
          fillColor: kind === "opinion" ? colours[feature.properties.risk] : "#6a1b9a",
          fillOpacity: 0.95,
        }).addTo(map);
        bounds.extend([c[1], c[0]]);
      }
    });
    if (!grid.length && bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
    window.addEventListener("load", function () { map.invalidateSize(); });
  }
})();
