// Reporting in (报到) from a phone: "Share where I am" asks the browser for the
// position and puts it in the form's hidden fields. Without it the check-in
// still works; the location is optional.
(function () {
  "use strict";
  document.querySelectorAll("form.check-in").forEach(function (form) {
    var button = form.querySelector(".share-location");
    var status = form.querySelector(".location-status");
    if (!button) return;
    if (!navigator.geolocation) {
      button.hidden = true;
      return;
    }
    button.addEventListener("click", function () {
      status.textContent = button.dataset.locating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.latitude.value = position.coords.latitude.toFixed(6);
          form.elements.longitude.value = position.coords.longitude.toFixed(6);
          status.textContent = button.dataset.located;
        },
        function () {
          status.textContent = button.dataset.failed;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  });
})();
