// A grid's page: its outline, and its open appeals as pins coloured by their
// deadline (overdue, due soon, in time); a pin's popup links to the appeal.
(function () {
  "use strict";
  var element = document.getElementById("grid-map");
  if (!element || !window.L || !window.CivicGridMap) return;
  var outline = JSON.parse(document.getElementById("grid-outline").textContent);
  var pins = JSON.parse(document.getElementById("grid-markers").textContent);
  var colours = { overdue: "#b3261e", due_soon: "#e8a317", open: "#0b57d0" };
  var map = window.CivicGridMap.draw(element, outline);

  // Built as text, never as markup: the category is data.
  function line(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function popup(pin) {
    var box = document.createElement("div");
    box.className = "pin-popup";
    var link = line("a", pin.code, "code");
    link.href = pin.url;
    box.appendChild(link);
    if (pin.category) box.appendChild(line("div", pin.category));
    box.appendChild(line("div", pin.state + " · " + pin.urgency, "pin-" + pin.level));
    if (pin.due) box.appendChild(line("div", pin.due));
    return box;
  }

  var bounds = L.latLngBounds([]);
  // The most urgent drawn last, on top of the others.
  var order = { open: 0, due_soon: 1, overdue: 2 };
  pins
    .slice()
    .sort(function (a, b) { return order[a.level] - order[b.level]; })
    .forEach(function (pin) {
      var point = [pin.lat, pin.lon];
      L.circleMarker(point, {
        radius: 12,  // a target a finger finds
        color: "#fff",
        weight: 3,
        fillColor: colours[pin.level],
        fillOpacity: 0.95,
        className: "appeal-pin pin-" + pin.level,
      })
        // Narrower than the map on a phone, so that it pans fully into view.
        .bindPopup(popup(pin), {
          maxWidth: Math.max(160, Math.min(280, element.clientWidth - 72)),
          autoPanPadding: [12, 12],
        })
        .addTo(map);
      bounds.extend(point);
    });
  if (!outline.features.length && bounds.isValid()) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
  }
  // The page settles after the map is made (fonts, the lists): measure again.
  window.addEventListener("load", function () { map.invalidateSize(); });
})();
