// cellmeet's service worker (issue 24), served at /sw.js so that it controls the whole
// site. Hand-written on purpose: no build step and nothing third-party (README,
// "Recording offline").
//
// - Pages: always from the network first. Only when the network fails does it answer
//   with the copy kept by "prepare" (the recording steps of a meeting being recorded),
//   so a copy never hides a newer page while there is a connection.
// - Static files: the copies kept by "prepare" answer at once (and are refreshed in the
//   background); others come from the network.
// - Nothing is ever sent from here: the page stores what she saves offline in
//   IndexedDB and sends it itself (static/js/offline.js).
"use strict";

var PAGES = "cellmeet-pages-";   // one cache per prepared meeting: cellmeet-pages-<pk>
var ASSETS = "cellmeet-assets-1";
var KEEP_MEETINGS = 3;           // the few meetings she prepared last: a few MB at most

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("cellmeet-assets-") === 0 && name !== ASSETS;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function fetchPage(url) {
  return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    // A redirect (signed out, no longer a draft) is not the page: never kept.
    if (!response.ok || response.redirected || response.type !== "basic") { throw new Error(url); }
    return [url, response];
  });
}

// The static files a page loads: its stylesheets and scripts.
function assetsOf(html) {
  var found = [];
  var pattern = /(?:src|href)="(\/static\/[^"]+)"/g;
  var match;
  while ((match = pattern.exec(html)) !== null) {
    if (found.indexOf(match[1]) === -1) { found.push(match[1]); }
  }
  return found;
}

function prepare(message) {
  var name = PAGES + message.meeting;
  var assets = [];
  // Every page first: a failed fetch leaves the earlier copy as it was.
  return Promise.all(message.pages.map(fetchPage)).then(function (fetched) {
    return Promise.all(fetched.map(function (pair) {
      return pair[1].clone().text().then(function (html) {
        assetsOf(html).forEach(function (url) { if (assets.indexOf(url) === -1) { assets.push(url); } });
      });
    })).then(function () { return fetched; });
  }).then(function (fetched) {
    // Deleted and made again: the caches' order is the order she prepared them in.
    return caches.delete(name).then(function () { return caches.open(name); }).then(function (cache) {
      return Promise.all(fetched.map(function (pair) { return cache.put(pair[0], pair[1]); }));
    });
  }).then(function () {
    return caches.open(ASSETS).then(function (cache) {
      return Promise.all(assets.map(function (url) {
        return cache.match(url).then(function (found) {
          if (found) { return null; }
          return fetch(url, { credentials: "same-origin" }).then(function (response) {
            return response.ok ? cache.put(url, response) : null;
          });
        });
      }));
    });
  }).then(function () {
    return caches.keys().then(function (names) {
      var pages = names.filter(function (one) { return one.indexOf(PAGES) === 0; });
      return Promise.all(pages.slice(0, Math.max(0, pages.length - KEEP_MEETINGS)).map(function (old) {
        return caches.delete(old);
      }));
    });
  }).then(function () { return { type: "prepared", meeting: message.meeting, ok: true }; },
    function () { return { type: "prepared", meeting: message.meeting, ok: false }; });
}

function forgetPages() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(PAGES) === 0; })
      .map(function (name) { return caches.delete(name); }));
  });
}

self.addEventListener("message", function (event) {
  var message = event.data || {};
  var source = event.source;
  if (message.type === "prepare" && Array.isArray(message.pages)) {
    event.waitUntil(prepare(message).then(function (answer) { if (source) { source.postMessage(answer); } }));
  } else if (message.type === "forget") {
    event.waitUntil(forgetPages());  // signing out: her pages leave this device
  }
});

function keptPage(request) {
  return caches.keys().then(function (names) {
    var pages = names.filter(function (name) { return name.indexOf(PAGES) === 0; }).reverse();
    function next(index) {
      if (index >= pages.length) { return null; }
      return caches.open(pages[index]).then(function (cache) {
        // "?restore=…" and anchors still find the step's page.
        return cache.match(request, { ignoreSearch: true });
      }).then(function (found) { return found || next(index + 1); });
    }
    return next(0);
  });
}

function page(request) {
  return fetch(request).catch(function (error) {
    return keptPage(request).then(function (found) {
      if (found) { return found; }
      throw error;
    });
  });
}

function asset(event) {
  var request = event.request;
  return caches.open(ASSETS).then(function (cache) {
    return cache.match(request).then(function (found) {
      if (!found) { return fetch(request); }
      event.waitUntil(fetch(request).then(function (fresh) {
        return fresh.ok ? cache.put(request, fresh) : null;
      }).catch(function () { return null; }));
      return found;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") { return; }
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(event));
  }
});
