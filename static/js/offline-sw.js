// cellmeet's service worker (issue 24), served at /sw.js so that it controls the whole
// site. Hand-written on purpose: no build step and nothing third-party (README,
// "Recording offline").
//
// - Pages: always from the network first. Only when the network fails does it answer
//   with the copy kept by "prepare" (the recording steps of a meeting being recorded),
//   so a copy never hides a newer page while there is a connection.
// - Static files: the copies kept by "prepare" answer at once (and are refreshed in the
//   background); others come from the network.
// - A recording step's Save that cannot reach the server (the phone says "online" but
//   nothing gets through) is kept as a capture in IndexedDB, as static/js/offline.js
//   keeps one when the phone knows it is offline, and the next step opens from its
//   copy. Nothing is ever sent from here: the page sends the captures itself.
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

function keptPage(request) {  // a GET request or a URL
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

// ---------------------------------------------------------------- a Save that failed
var STEP_PATH = /^\/meetings\/(\d+)\/record\/(?:(opening|attendance|proceedings|discussion|closing)\/)?$/;

function withCaptures(mode, work) {
  // The same database as static/js/offline.js: "cellmeet-offline", store "captures".
  return new Promise(function (resolve, reject) {
    var opening = indexedDB.open("cellmeet-offline", 1);
    opening.onupgradeneeded = function () { opening.result.createObjectStore("captures", { keyPath: "client_id" }); };
    opening.onerror = function () { reject(opening.error); };
    opening.onsuccess = function () {
      var db = opening.result;
      var transaction = db.transaction("captures", mode);
      var holder = { value: null };
      work(transaction.objectStore("captures"), holder);
      transaction.oncomplete = function () { db.close(); resolve(holder.value); };
      transaction.onerror = function () { db.close(); reject(transaction.error); };
    };
  });
}

function attribute(html, name) {
  var found = new RegExp(" data-" + name + "=\"([^\"]*)\"").exec(html);
  return found ? found[1].replace(/&amp;/g, "&").replace(/&quot;/g, "\"").replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">") : "";
}

function keepFailedSave(request, error) {
  var match = STEP_PATH.exec(new URL(request.url).pathname);
  if (!match) { return Promise.reject(error); }
  var meeting = parseInt(match[1], 10);
  var step = match[2] || "all";
  return Promise.all([request.formData(), keptPage(request.url)]).then(function (both) {
    var data = both[0];
    if (!both[1]) { throw error; }  // no copy of the page to go on with
    return both[1].clone().text().then(function (html) {
      var fields = [];
      var go = "";
      data.forEach(function (value, name) {
        if (name === "csrfmiddlewaretoken" || typeof value !== "string") { return; }
        if (name === "go") { go = value; }
        fields.push([name, value]);
      });
      var version = 0;
      fields.forEach(function (pair) { if (pair[0] === "version") { version = parseInt(pair[1], 10) || 0; } });
      return withCaptures("readonly", function (store, holder) {
        var all = store.getAll();
        all.onsuccess = function () { holder.value = all.result; };
      }).then(function (captures) {
        var mine = (captures || []).filter(function (c) { return c.meeting === meeting && c.state === "pending"; })
          .sort(function (a, b) { return a.created - b.created; });
        var replaced = mine.filter(function (c) { return c.step === step; });
        var others = mine.filter(function (c) { return c.step !== step; });
        var after = others.length ? others[others.length - 1].client_id : (replaced.length ? replaced[0].after : null);
        var capture = {
          client_id: self.crypto.randomUUID(), meeting: meeting, step: step,
          title: attribute(html, "title"), step_url: attribute(html, "this-url") || new URL(request.url).pathname,
          sync_url: attribute(html, "sync-url"), base_version: version, after: after,
          fields: fields, created: Date.now(), state: "pending"
        };
        return withCaptures("readwrite", function (store) {
          replaced.forEach(function (c) { store.delete(c.client_id); });
          store.put(capture);
        });
      }).then(function () {
        var next = { next: attribute(html, "next-url"), back: attribute(html, "previous-url") }[go];
        return Response.redirect(new URL(next || request.url, request.url).href, 303);
      });
    });
  });
}

function save(request) {
  var copy = request.clone();  // its body, should the network fail
  return fetch(request).catch(function (error) { return keepFailedSave(copy, error); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && request.mode === "navigate" && STEP_PATH.test(url.pathname)) {
    event.respondWith(save(request));
    return;
  }
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(event));
  }
});
