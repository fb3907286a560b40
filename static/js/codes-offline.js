// "Your codes" without signal: registers the service worker (/sw.js, templates/pwa/sw.js) that keeps a copy of
// this page, and shows the note saying since when the codes were saved when the page is that copy (the worker
// marks it so) or the phone has gone offline. Without JavaScript or service workers the page is as it was.
(function () {
  "use strict";
  var worker = document.currentScript.dataset.worker;
  if ("serviceWorker" in navigator) {
    // A refusal (a private window, storage switched off) leaves the page working online as before.
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {});
  }
  var note = document.querySelector("[data-saved-copy]");
  if (!note) return;
  var kept = note.dataset.savedCopy === "yes";

  function show() {
    note.hidden = !(kept || !navigator.onLine);
  }

  show();
  window.addEventListener("online", show);
  window.addEventListener("offline", show);
})();
