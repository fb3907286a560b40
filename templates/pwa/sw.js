// Cyfle's service worker, served as /sw.js by app/pwa/routes.py. This is a Jinja template, but only the four
// values below are filled in: the rest is plain JavaScript.
//
// It does two things. It shows the notes of saved searches' alerts (web push, for people who turned it on). And
// it keeps the signed-in person's "Your codes" page, so the codes show at a venue's door without
// signal. That page is asked of the network first; when the network answers with the page, a copy is kept, and
// when there is no answer (or it is too slow) the kept copy is shown, marked as such so the page says since when.
// The files that page loads are kept too. Every other request goes to the network as if there were no worker:
// nothing else is kept, and nothing that is not a GET is looked at.
//
// Never another person's codes: the copy is only ever the answer to this browser's own request for its own page;
// the site clears everything kept here when someone signs in, signs out or deletes their account (the
// Clear-Site-Data header), and the copy is dropped as soon as the network says nobody is signed in.
"use strict";

const VERSION = {{ version|tojson }};
const ASSETS = {{ assets|tojson }};
const CODES = {{ codes|tojson }};
const ICON = {{ icon|tojson }};
const ASSET_PATHS = new Set(ASSETS.map((asset) => new URL(asset, self.location.origin).pathname));

const CODES_CACHE = "codes";
const ASSETS_CACHE = "assets-" + VERSION;
const NETWORK_WAIT_MS = 4000; // one bar of signal at the door: show the kept copy rather than wait longer
// The kept page says it is a kept copy: this attribute of the notice on the page (templates/me/codes.html) is
// changed when the copy is made, so that only a page shown from here says so.
const LIVE_MARK = 'data-saved-copy="no"';
const KEPT_MARK = 'data-saved-copy="yes"';

// Install and activate ---------------------------------------------------------------------------------------

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(ASSETS_CACHE);
      await cache.addAll(ASSETS);
      // A worker installed afresh trusts no copy from before it: signing in or out unregisters the last one (the
      // Clear-Site-Data header), and a slow answer it was still waiting for could have written one after that.
      await caches.delete(CODES_CACHE);
      // The page that registered this worker was not looked after yet: keep a copy of it now.
      await fetch(CODES).then(keepOrForget).catch(() => undefined);
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const old = names.filter((name) => name.startsWith("assets-") && name !== ASSETS_CACHE);
      await Promise.all(old.map((name) => caches.delete(name)));
      await self.clients.claim();
    })()
  );
});

// Notifications ----------------------------------------------------------------------------------------------
// A note from the saved searches' alerts (app/saved/push.py): a title, a line saying how many new opportunities,
// and where to look. Pressing it opens that page, in a window of the app already open if there is one.

self.addEventListener("push", (event) => {
  const note = event.data ? event.data.json() : {};
  event.waitUntil(
    self.registration.showNotification(note.title || "Cyfle", {
      body: note.body || "",
      icon: ICON,
      badge: ICON,
      tag: "saved-searches", // a newer note replaces an older one rather than piling up
      data: { url: note.url || "/" },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data.url, self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(
    (async () => {
      const open = await self.clients.matchAll({ type: "window" });
      const same = open.find((client) => new URL(client.url).pathname === url.pathname);
      if (same) return same.focus();
      return self.clients.openWindow(url.href);
    })()
  );
});

// Fetch --------------------------------------------------------------------------------------------------------

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === CODES && request.mode === "navigate") {
    event.respondWith(codesPage(event));
  } else if (ASSET_PATHS.has(url.pathname)) {
    event.respondWith(asset(request));
  }
  // Anything else: no respondWith, so the browser fetches it as if this worker were not here.
});

async function codesPage(event) {
  const network = fetch(event.request).then(keepOrForget);
  event.waitUntil(network.catch(() => undefined)); // a slow answer still refreshes the copy when it comes
  const kept = await caches.match(CODES, { cacheName: CODES_CACHE });
  if (!kept) return network;
  const waited = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS));
  try {
    const answer = await Promise.race([network, waited]);
    return answer && answer.status < 500 ? answer : kept;
  } catch (offline) {
    return kept;
  }
}

// A page of codes is kept only when it is this person's own (the page itself: 200, not redirected elsewhere).
// Sent to sign in instead, nobody is signed in any more: whatever was kept goes.
async function keepOrForget(response) {
  const url = new URL(response.url || CODES, self.location.origin);
  if (response.status === 200 && !response.redirected && url.pathname === CODES) {
    const page = await response.clone().text();
    if (page.includes(LIVE_MARK)) {
      const headers = new Headers(response.headers);
      headers.delete("Content-Encoding");
      headers.delete("Content-Length");
      const copy = new Response(page.replace(LIVE_MARK, KEPT_MARK), { status: 200, headers: headers });
      await (await caches.open(CODES_CACHE)).put(CODES, copy);
    }
  } else if (response.type === "opaqueredirect" || response.redirected || [401, 403].includes(response.status)) {
    await caches.delete(CODES_CACHE);
  }
  return response;
}

// The network first (which for these versioned files is mostly the browser's own cache), then the kept copy;
// a kept copy of another version of the file is better than none.
async function asset(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    const kept = await caches.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw offline;
  }
}
