// The report form: a pin on the map (or the phone's location), the extra
// questions and notice of the chosen category, the contact fields unless
// anonymous, and "someone nearby already reported this".
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var lat = form.querySelector("input[name=latitude]");
  var lon = form.querySelector("input[name=longitude]");
  var category = form.querySelector("select[name=category]");
  var status = document.getElementById("pin-status");
  var nearby = document.getElementById("nearby");

  function text(message) { if (status) status.textContent = message; }

  // Map: the street's outline, tap to place the pin.
  var mapElement = document.getElementById("pick-map");
  var map = null, marker = null;
  if (mapElement && window.L) {
    map = L.map(mapElement, { attributionControl: false });
    var source = document.getElementById(mapElement.dataset.boundarySource);
    var outline = source ? JSON.parse(source.textContent) : null;
    if (outline) {
      var layer = L.geoJSON(outline, { style: { color: "#b3261e", weight: 2, fillOpacity: 0.04 } }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    } else {
      map.setView([29.65, 91.05], 13);
    }
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng); });
    // Without a pointer: the arrow keys move the map (Leaflet's own), Enter
    // or Space puts the pin at its centre.
    mapElement.addEventListener("keydown", function (event) {
      if (event.target !== mapElement || (event.key !== "Enter" && event.key !== " ")) return;
      event.preventDefault();
      var centre = map.getCenter();
      place(centre.lat, centre.lng);
    });
  }

  function place(latitude, longitude) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    if (map) {
      if (marker) marker.setLatLng([latitude, longitude]);
      else marker = L.marker([latitude, longitude], {
        keyboard: false,
        alt: form.dataset.pinAlt || "",  // the pin's name in the page's language
      }).addTo(map);
    }
    text(form.dataset.pinText || ("📍 " + lat.value + ", " + lon.value));
    lookNearby();
  }
  if (lat.value && lon.value) {
    place(parseFloat(lat.value), parseFloat(lon.value));
    // Opened from a place's code: the map shows the place up close.
    if (map && form.dataset.placeZoom) {
      map.setView([parseFloat(lat.value), parseFloat(lon.value)], parseInt(form.dataset.placeZoom, 10));
    }
  }

  var locate = document.getElementById("use-my-location");
  if (locate) {
    locate.addEventListener("click", function () {
      if (!navigator.geolocation) {
        text(locate.dataset.unavailable || "");
        return;
      }
      navigator.geolocation.getCurrentPosition(
        function (position) {
          place(position.coords.latitude, position.coords.longitude);
          if (map) map.setView([position.coords.latitude, position.coords.longitude], 17);
        },
        function () { text(locate.dataset.unavailable || ""); },
        { enableHighAccuracy: true, timeout: 15000 }
      );
    });
  }

  // The chosen category's questions and notice; other categories' inputs are
  // disabled so they are not sent.
  function showCategory() {
    var chosen = category ? category.value : "";
    form.querySelectorAll("[data-category]").forEach(function (block) {
      var mine = block.dataset.category === chosen;
      block.hidden = !mine;
      block.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !mine;
      });
    });
    lookNearby();
  }
  if (category) { category.addEventListener("change", showCategory); showCategory(); }

  var anonymous = form.querySelector("input[name=anonymous]");
  var contact = document.getElementById("contact-fields");
  function toggleContact() { if (contact && anonymous) contact.hidden = anonymous.checked; }
  if (anonymous) { anonymous.addEventListener("change", toggleContact); toggleContact(); }

  // A patrol finding has no appellant: the staff form hides who raised it.
  var channel = form.querySelector("select[name=channel]");
  var appellant = document.getElementById("appellant-fields");
  function toggleAppellant() {
    if (appellant && channel) appellant.hidden = channel.value === appellant.dataset.noneFor;
  }
  if (channel) { channel.addEventListener("change", toggleAppellant); toggleAppellant(); }

  var pending = null;
  function lookNearby() {
    if (!nearby || !lat.value || !lon.value) return;
    // By POST: where the resident is stays out of the access logs.
    var body = new FormData();
    body.append("latitude", lat.value);
    body.append("longitude", lon.value);
    body.append("category", category ? category.value : "");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) body.append("csrfmiddlewaretoken", token.value);
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(form.dataset.nearbyUrl, {
      method: "POST", body: body, signal: pending.signal, credentials: "same-origin"
    })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { nearby.innerHTML = html; })
      .catch(function () {});
  }
})();
