/* 语音留言: record a voice message on the page instead of typing. The recording
   is put into the form's real file input (name=voice), so the ordinary POST —
   and anything that queues the form to send later — carries it like a chosen
   file. Without MediaRecorder (or a microphone) the plain file input stays:
   a phone opens its own recorder for accept="audio/*" capture. The texts come
   translated in the box's data-* attributes. */
(function () {
  "use strict";
  var TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg;codecs=opus"];

  function supported() {
    return !!(window.MediaRecorder && navigator.mediaDevices &&
      navigator.mediaDevices.getUserMedia && typeof DataTransfer !== "undefined");
  }

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (whole, key) {
      return values[key] !== undefined ? String(values[key]) : whole;
    });
  }

  function chosenType() {
    if (!MediaRecorder.isTypeSupported) return "";
    for (var i = 0; i < TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(TYPES[i])) return TYPES[i];
    }
    return "";
  }

  function extension(mime) {
    if (mime.indexOf("mp4") >= 0) return "m4a";
    if (mime.indexOf("ogg") >= 0) return "ogg";
    return "webm";
  }

  function setUp(box) {
    var input = box.querySelector("input[type=file]");
    var ui = box.querySelector(".recorder");
    if (!input || !ui || !supported()) return;
    var buttons = {};
    ["record", "stop", "again", "remove"].forEach(function (name) {
      buttons[name] = ui.querySelector("[data-voice=" + name + "]");
    });
    var player = ui.querySelector("audio");
    var status = ui.querySelector(".recorder-status");
    var limit = parseInt(box.dataset.maxSeconds, 10) || 180;
    var recorder = null;
    var stream = null;
    var chunks = [];
    var started = 0;
    var timer = null;
    var url = null;
    var reachedLimit = false;

    function say(text) { status.textContent = text || ""; }

    function show(state) {
      buttons.record.hidden = state !== "idle";
      buttons.stop.hidden = state !== "recording";
      buttons.again.hidden = state !== "done";
      buttons.remove.hidden = state !== "done";
      player.hidden = state !== "done";
      box.classList.toggle("recording", state === "recording");
    }

    function seconds() { return Math.floor((Date.now() - started) / 1000); }

    function tick() {
      var elapsed = seconds();
      say(fill(box.dataset.textRecording, { seconds: elapsed, max: limit }));
      if (elapsed >= limit) {
        reachedLimit = true;
        halt();
      }
    }

    function release() {
      if (timer) clearInterval(timer);
      timer = null;
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }

    function halt() {
      if (recorder && recorder.state !== "inactive") recorder.stop();
      release();
    }

    function finish() {
      var mime = (recorder.mimeType || chunks[0] && chunks[0].type || "audio/webm").split(";")[0];
      var blob = new Blob(chunks, { type: mime });
      var file = new File([blob], "voice-message." + extension(mime), { type: mime });
      var transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(blob);
      player.src = url;
      var told = fill(box.dataset.textRecorded, { seconds: Math.max(1, Math.round((Date.now() - started) / 1000)) });
      say(reachedLimit ? box.dataset.textLimit + " " + told : told);
      show("done");
      buttons.again.focus();
    }

    function start() {
      reachedLimit = false;
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (given) {
        stream = given;
        chunks = [];
        var type = chosenType();
        var options = { audioBitsPerSecond: 32000 };
        if (type) options.mimeType = type;
        recorder = new MediaRecorder(given, options);
        recorder.ondataavailable = function (event) {
          if (event.data && event.data.size) chunks.push(event.data);
        };
        recorder.onstop = finish;
        recorder.start(1000);
        started = Date.now();
        show("recording");
        buttons.stop.focus();
        tick();
        timer = setInterval(tick, 500);
      }, function () {
        release();
        say(box.dataset.textDenied);
        show("idle");
      });
    }

    function clear(told) {
      input.value = "";
      if (url) URL.revokeObjectURL(url);
      url = null;
      player.removeAttribute("src");
      show("idle");
      say(told ? box.dataset.textRemoved : "");
    }

    buttons.record.addEventListener("click", start);
    buttons.stop.addEventListener("click", halt);
    buttons.again.addEventListener("click", function () { clear(false); start(); });
    buttons.remove.addEventListener("click", function () { clear(true); buttons.record.focus(); });
    // A recording chosen from the phone instead: the one on the page goes.
    input.addEventListener("change", function (event) {
      if (event.isTrusted && url) {
        URL.revokeObjectURL(url);
        url = null;
        player.removeAttribute("src");
        show("idle");
        say("");
      }
    });
    ui.hidden = false;
    show("idle");
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-voice-recorder]"), setUp);
})();
