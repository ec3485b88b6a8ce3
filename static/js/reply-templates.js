// Choosing a response template fills the reply box (only while it is empty or
// still holds the previous template, so nothing typed is lost).
(function () {
  "use strict";
  var select = document.querySelector("select[name=reply-template]");
  var box = document.querySelector("textarea[name=reply-public_reply]");
  var data = document.getElementById("reply-templates");
  if (!select || !box || !data) return;
  var bodies = JSON.parse(data.textContent);
  var last = "";
  select.addEventListener("change", function () {
    var body = bodies[select.value] || "";
    if (box.value.trim() === "" || box.value === last) {
      box.value = body;
      last = body;
    }
  });
})();
