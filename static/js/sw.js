// The offline app's service worker (served at /sw.js, after its configuration
// in self.CIVICGRID: see civicgrid/core/offline.py).
//
// - Static files: kept on the phone. Hashed names never change, so the kept
//   copy is served first; unhashed ones (development) come from the network
//   first and the copy only without signal.
// - The pages that work without signal (the report form, the patrol log, a
//   household's visit form): from the network, their last copy kept; without
//   signal, the copy. Any other page without signal: the "no signal" page.
// - Forms are not this worker's business: the pages' own script keeps what it
//   cannot send (offline.js). The sealed discipline channel is never touched.
// - Logging out forgets the kept pages: the next person on the phone sees none
//   of them.
/* global self, caches, fetch, Response, URL */
"use strict";

var CONFIG = self.CIVICGRID;
var STATIC = "civicgrid-static-" + CONFIG.version;
var PAGES = "civicgrid-pages";
var pages = CONFIG.pages.map(function (pattern) { return new RegExp(pattern); });

// Each file on its own: on a weak signal one that does not arrive (or takes
// more than 20 s) leaves the others kept — it is kept when a page next uses
// it — rather than no worker at all.
self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC)
      .then(function (cache) {
        return Promise.all(CONFIG.precache.map(function (url) {
          var late = new Promise(function (resolve) { setTimeout(resolve, 20000); });
          return Promise.race([cache.add(url).catch(function () {}), late]);
        }));
      })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("civicgrid-static-") === 0 && name !== STATIC;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function never(path) {
  return CONFIG.never.some(function (prefix) { return path.indexOf(prefix) === 0; });
}

function kept(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request, { ignoreVary: true });
  });
}

function keep(cacheName, key, response) {
  if (response && response.ok && response.type === "basic" && !response.redirected) {
    var copy = response.clone();
    caches.open(cacheName).then(function (cache) { cache.put(key, copy); });
  }
  return response;
}

function staticFile(request) {
  if (CONFIG.hashed) {
    return kept(request).then(function (copy) {
      return copy || fetch(request).then(function (response) {
        return keep(STATIC, request, response);
      });
    });
  }
  return fetch(request)
    .then(function (response) { return keep(STATIC, request, response); })
    .catch(function () {
      return kept(request).then(function (copy) { return copy || Response.error(); });
    });
}

function offlinePage() {
  return kept(CONFIG.offline).then(function (copy) { return copy || Response.error(); });
}

function page(request, path) {
  var keepIt = pages.some(function (pattern) { return pattern.test(path); });
  return fetch(request)
    .then(function (response) {
      // Kept by its address without the query (a filter, a message).
      return keepIt ? keep(PAGES, path, response) : response;
    })
    .catch(function () {
      if (!keepIt) return offlinePage();
      return caches.open(PAGES)
        .then(function (cache) { return cache.match(path); })
        .then(function (copy) { return copy || offlinePage(); });
    });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || never(url.pathname)) return;
  if (request.method !== "GET") {
    if (url.pathname === CONFIG.logout) {
      event.waitUntil(caches.delete(PAGES));
    }
    return;
  }
  if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request, url.pathname));
  }
});
