// Notifications on this phone (/me/searches): off until the person presses the button. The browser's push
// subscription goes to the server, which sends a note through the browser's push service when saved searches
// have news; the service worker (sw.js) shows it. Where the browser cannot, the section stays hidden.
(function () {
  "use strict";
  var section = document.getElementById("push");
  if (!section || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return;
  var button = section.querySelector("button");
  var status = section.querySelector("[role=status]");
  var token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["x-csrftoken"];
  var worker = document.currentScript.dataset.worker;

  function key(text) {
    var raw = atob((text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }

  function tell(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "x-csrftoken": token },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
    });
  }

  function show(on, said) {
    button.textContent = on ? section.dataset.labelOff : section.dataset.labelOn;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    if (said) status.textContent = said;
  }

  // The same service worker that keeps "Your codes" shows the notes (templates/pwa/sw.js).
  navigator.serviceWorker.register(worker, { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    section.hidden = false;
    registration.pushManager.getSubscription().then(function (current) { show(Boolean(current)); });

    button.addEventListener("click", function () {
      button.disabled = true;
      registration.pushManager.getSubscription().then(function (current) {
        if (current) {
          return tell(section.dataset.off, { endpoint: current.endpoint })
            .then(function () { return current.unsubscribe(); })
            .then(function () { show(false, section.dataset.saidOff); });
        }
        return Notification.requestPermission().then(function (permission) {
          if (permission !== "granted") {
            status.textContent = section.dataset.refused;
            return;
          }
          return registration.pushManager
            .subscribe({ userVisibleOnly: true, applicationServerKey: key(section.dataset.key) })
            .then(function (subscription) { return tell(section.dataset.on, subscription.toJSON()); })
            .then(function () { show(true, section.dataset.saidOn); });
        });
      }).catch(function () {
        status.textContent = section.dataset.failed;
      }).then(function () {
        button.disabled = false;
      });
    });
  }).catch(function () {}); // no worker (a private window, storage switched off): the section stays hidden
})();
