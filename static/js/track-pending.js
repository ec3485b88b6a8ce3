// While an appeal is being registered its page looks again by itself, quietly:
// it asks for the page every few seconds and reloads only once the appeal is
// registered. (A timed <meta refresh> reloads under a reader's eyes and moves
// a screen reader back to the top; it stays only for phones without scripts.)
(function () {
  "use strict";
  var pending = document.getElementById("pending");
  if (!pending || !window.fetch) return;
  var every = (Number(pending.getAttribute("data-look-again")) || 5) * 1000;

  function lookAgain() {
    fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (html && html.indexOf('id="pending"') === -1) window.location.reload();
        else window.setTimeout(lookAgain, every);
      }, function () { window.setTimeout(lookAgain, every); });
  }
  window.setTimeout(lookAgain, every);
})();
