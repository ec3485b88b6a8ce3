// The report form: the reporter's own details show only for a real-name
// report (without scripts they always show, and the action decides).
(function () {
  "use strict";
  document.querySelectorAll("form.report-form").forEach(function (form) {
    var block = form.querySelector(".real-name");
    var choices = form.querySelectorAll('input[name="real_name"]');
    if (!block || !choices.length) return;
    function sync() {
      var chosen = form.querySelector('input[name="real_name"]:checked');
      block.hidden = !(chosen && chosen.value === "1");
    }
    choices.forEach(function (input) { input.addEventListener("change", sync); });
    sync();
  });
})();
