// 分享: a "Share" button opens the phone's share sheet (WeChat, messages …)
// through the Web Share API; where there is none, the link is copied, or
// shown selected for the person to copy. Only the public link in the
// button's data-share-url is ever shared.
(function () {
  "use strict";
  document.querySelectorAll("[data-share]").forEach(function (button) {
    if (button.dataset.shareReady) return;  // the script included twice
    button.dataset.shareReady = "1";
    var status = button.parentNode.querySelector(".share-status");
    var url = button.dataset.shareUrl;

    function say(message) { if (status) status.textContent = message; }

    function showLink() {
      var field = button.parentNode.querySelector(".share-link");
      if (!field) {
        field = document.createElement("input");
        field.type = "text";
        field.readOnly = true;
        field.className = "share-link";
        field.setAttribute("aria-label", button.dataset.copyHere || "");
        button.parentNode.appendChild(field);
      }
      field.value = url;
      say(button.dataset.copyHere || "");
      field.focus();
      field.select();
    }

    function copy() {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(
          function () { say(button.dataset.copied || ""); },
          showLink
        );
      } else {
        showLink();
      }
    }

    button.addEventListener("click", function () {
      var data = { title: button.dataset.shareTitle, text: button.dataset.shareText, url: url };
      if (navigator.share && (!navigator.canShare || navigator.canShare(data))) {
        navigator.share(data).catch(function (error) {
          if (!error || error.name !== "AbortError") copy();  // not cancelled: failed
        });
      } else {
        copy();
      }
    });
  });
})();
