// The resident's link carries its key in the fragment (#key=…), which browsers
// never send to the server, so the key reaches no access log. This hands it over
// by POST once; the server remembers it in the session and loads the page again.
(function () {
  "use strict";
  var form = document.getElementById("resident-claim");
  var found = /(?:^#|&)key=([0-9a-f]{8,64})/.exec(window.location.hash);
  if (!form || !found) return;
  form.elements["claim-key"].value = found[1];
  if (/(?:^#|&)callback\b/.test(window.location.hash)) {
    form.elements["claim-anchor"].value = "callback";
  }
  form.submit();
})();
