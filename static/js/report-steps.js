/* The report in three steps (what, where, who): one form, one step on the screen
   at a time. Without scripts every step shows and the form works the same. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !form.hasAttribute("data-steps")) return;
  var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset.step"));
  var nav = form.querySelector(".step-nav");
  var progress = form.querySelector(".step-progress");
  if (steps.length < 2 || !nav || !progress) return;
  var back = nav.querySelector("[data-step=back]");
  var next = nav.querySelector("[data-step=next]");
  var current = 0;

  function value(name) {
    var input = form.querySelector("[name=" + name + "]");
    return input ? input.value.trim() : "";
  }

  // A voice message (recorded or chosen, or kept from the last try) stands
  // for the description.
  function hasVoice() {
    var input = form.querySelector("input[type=file][name=voice]");
    var kept = form.querySelector("input[name=kept_voice]");
    var dropped = form.querySelector("input[name=drop_kept_voice]");
    return !!(input && input.files && input.files.length) ||
      !!(kept && kept.value && !(dropped && dropped.checked));
  }

  function complain(step, message) {
    var old = step.querySelector(".step-error");
    if (old) old.remove();
    if (!message) return true;
    var note = document.createElement("p");
    note.className = "errorlist step-error";
    note.setAttribute("role", "alert");
    note.textContent = message;
    step.insertBefore(note, step.children[1] || null);
    return false;
  }

  function ready(index) {
    var step = steps[index];
    if (step.id === "step-what" && !value("description") && !hasVoice()) {
      return complain(step, form.dataset.needDescription);
    }
    if (step.id === "step-where" && !value("latitude") && !value("address")) {
      return complain(step, form.dataset.needPlace);
    }
    return complain(step, "");
  }

  function show(index, focus) {
    current = index;
    steps.forEach(function (step, i) { step.hidden = i !== index; });
    progress.textContent = progress.dataset.template.replace("{n}", String(index + 1));
    back.hidden = index === 0;
    next.hidden = index === steps.length - 1;
    // The map was drawn hidden: let it measure itself again.
    window.dispatchEvent(new Event("resize"));
    if (focus) {
      var title = steps[index].querySelector(".step-title");
      title.setAttribute("tabindex", "-1");
      title.focus();
      steps[index].scrollIntoView({ block: "start" });
    }
  }

  next.addEventListener("click", function () {
    if (ready(current)) show(Math.min(current + 1, steps.length - 1), true);
  });
  back.addEventListener("click", function () { show(Math.max(current - 1, 0), true); });

  // Sent back with an error: open the first step that has one.
  var start = 0;
  for (var i = 0; i < steps.length; i++) {
    if (steps[i].querySelector(".errorlist, [aria-invalid=true]")) { start = i; break; }
  }
  // Kept on the phone for later (offline.js empties the form): a new report
  // starts at the first step.
  form.addEventListener("reset", function () {
    window.setTimeout(function () { show(0, false); }, 0);
  });
  progress.hidden = false;
  nav.hidden = false;
  form.classList.add("stepped");
  show(start, start > 0);
})();
