// Recording offline (issue 24). With no connection, "Save" on a recording step keeps
// what she typed in this browser (IndexedDB) as a capture: {client id, meeting, step,
// the version she typed over, the form's fields}; the next step opens from the copy
// the service worker keeps (static/js/offline-sw.js). Back online (or "Send now") the
// captures go to the server in order (meetings/offline.py), which answers each one:
// saved (forgotten here), or a conflict / refused (kept in the banner, with the link
// that shows her entries beside the saved ones). Signed out: they stay until she signs in.
(function () {
  "use strict";
  var banner = document.getElementById("offline-banner");
  if (!banner) { return; }
  var context = document.getElementById("offline-meeting");
  var form = document.getElementById("minutes-form");
  var DB = "cellmeet-offline";
  var STORE = "captures";
  var syncing = false;
  var problem = "";  // why the last sync did not go through: "signed_out", "refused", "failed"

  // ------------------------------------------------------------ storage (IndexedDB)
  function withStore(mode, work) {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var opening = indexedDB.open(DB, 1);
      opening.onupgradeneeded = function () {
        opening.result.createObjectStore(STORE, { keyPath: "client_id" });
      };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(result && "value" in result ? result.value : result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      };
    });
  }

  function allCaptures() {
    return withStore("readonly", function (store) {
      var holder = { value: [] };
      var request = store.getAll();
      request.onsuccess = function () {
        holder.value = request.result.sort(function (a, b) { return a.created - b.created; });
      };
      return holder;
    });
  }

  function putCapture(capture) { return withStore("readwrite", function (store) { store.put(capture); }); }
  function removeCapture(id) { return withStore("readwrite", function (store) { store.delete(id); }); }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64; bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // ------------------------------------------------------------ the banner
  function text(name, count) { return (banner.dataset[name] || "").replace("%(count)s", count); }

  function show(captures) {
    var pending = captures.filter(function (c) { return c.state === "pending"; });
    var attention = captures.filter(function (c) { return c.state !== "pending"; });
    var offline = !navigator.onLine;
    banner.hidden = !(pending.length || attention.length || (offline && context));
    var heading = "notSaved";
    if (pending.length) { heading = pending.length === 1 ? "one" : "many"; } else if (offline) { heading = "nothingWaiting"; }
    banner.querySelector("[data-offline-count]").textContent = text(heading, pending.length);
    banner.querySelector("[data-offline-safe]").hidden = !pending.length;
    banner.querySelector("[data-offline-nothing]").hidden = !!pending.length || !offline;
    banner.querySelector("[data-offline-no-connection]").hidden = !offline;
    banner.querySelector("[data-offline-signed-out]").hidden = problem !== "signed_out";
    banner.querySelector("[data-offline-failed]").hidden = problem !== "failed" || offline;
    var button = banner.querySelector("[data-offline-send]");
    button.hidden = !pending.length;
    button.disabled = offline || syncing;
    var list = banner.querySelector("[data-offline-attention]");
    list.textContent = "";
    attention.forEach(function (capture) {
      var item = document.createElement("li");
      var what = document.createElement("strong");
      what.textContent = capture.title + ": " + (capture.state === "conflict" ? banner.dataset.conflict : banner.dataset.refused);
      item.appendChild(what);
      (capture.messages || []).forEach(function (message) {
        item.appendChild(document.createTextNode(" " + message));
      });
      item.appendChild(document.createTextNode(" "));
      var link = document.createElement("a");
      link.href = capture.resolve || capture.step_url;
      link.textContent = banner.dataset.resolve;
      // Her entries are kept on the server for the page the link opens.
      link.addEventListener("click", function () { removeCapture(capture.client_id); });
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = !attention.length;
    document.querySelectorAll("[data-needs-connection]").forEach(function (element) {
      element.disabled = offline;
    });
    document.querySelectorAll("[data-needs-connection-note]").forEach(function (element) {
      element.hidden = !offline;
    });
  }

  function refresh() { return allCaptures().then(show, function () { show([]); }); }

  // ------------------------------------------------------------ saving offline
  function fieldsOf(submitter) {
    var pairs = [];
    var data = submitter ? new FormData(form, submitter) : new FormData(form);
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || typeof value !== "string") { return; }  // files stay behind
      pairs.push([name, value]);
    });
    return pairs;
  }

  function whereNext(submitter) {
    var go = submitter && submitter.name === "go" ? submitter.value : "";
    if (go === "next" && context.dataset.nextUrl) { return context.dataset.nextUrl; }
    if (go === "back" && context.dataset.previousUrl) { return context.dataset.previousUrl; }
    return window.location.pathname;
  }

  function forgetBrowserCopies() {
    // static/js/keep-typing.js's copy of this form: the capture holds it now.
    try {
      var prefix = form.dataset.copyKey + ":";
      Object.keys(localStorage).forEach(function (key) { if (key.indexOf(prefix) === 0) { localStorage.removeItem(key); } });
    } catch (error) { /* the capture is kept whatever */ }
  }

  function captureOffline(event) {
    if (navigator.onLine || !context) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    var meeting = context.dataset.meeting;
    var step = context.dataset.step;
    var fields = fieldsOf(submitter);
    allCaptures().then(function (captures) {
      var mine = captures.filter(function (c) { return String(c.meeting) === meeting && c.state === "pending"; });
      // A later save of the same step replaces the earlier one (it holds the whole form).
      var replaced = mine.filter(function (c) { return c.step === step; });
      var others = mine.filter(function (c) { return c.step !== step; });
      var last = others.length ? others[others.length - 1].client_id : null;
      if (!last && replaced.length) { last = replaced[0].after; }
      var version = form.querySelector("input[name=version]");
      var capture = {
        client_id: newId(),
        meeting: parseInt(meeting, 10),
        step: step,
        title: context.dataset.title,
        step_url: context.dataset.thisUrl,
        sync_url: context.dataset.syncUrl,
        base_version: parseInt(version && version.value, 10) || 0,
        after: last,
        fields: fields,
        created: Date.now(),
        state: "pending"
      };
      return Promise.all(replaced.map(function (c) { return removeCapture(c.client_id); }))
        .then(function () { return putCapture(capture); });
    }).then(function () {
      forgetBrowserCopies();
      window.location.assign(whereNext(submitter));
    }, function () {
      banner.querySelector("[data-offline-failed]").hidden = false;
    });
  }

  function showKeptEntries(capture) {
    // Rows added before the capture was made: add them again first (as keep-typing does).
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      var total = form.querySelector("#id_" + button.dataset.addRow + "-TOTAL_FORMS");
      var wanted = 0;
      capture.fields.forEach(function (pair) { if (total && pair[0] === total.name) { wanted = parseInt(pair[1], 10) || 0; } });
      while (total && parseInt(total.value, 10) < wanted) { button.click(); }
    });
    var values = {};
    capture.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.name === "csrfmiddlewaretoken" || element.name === "version" || element.type === "file" || element.type === "submit") { return; }
      var wanted = values[element.name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = wanted.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.forEach.call(element.options, function (option) { option.selected = wanted.indexOf(option.value) !== -1; });
      } else if (wanted.length) {
        element.value = wanted[0];
      }
    });
    form.dispatchEvent(new Event("change", { bubbles: true }));
    banner.querySelector("[data-offline-shown]").hidden = false;
  }

  function showWhatIsWaiting() {
    if (!form || !context) { return; }
    allCaptures().then(function (captures) {
      var mine = captures.filter(function (c) {
        return c.state === "pending" && String(c.meeting) === context.dataset.meeting && c.step === context.dataset.step;
      });
      if (mine.length) { showKeptEntries(mine[mine.length - 1]); }
    });
  }

  // ------------------------------------------------------------ sending
  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(url, captures) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": token(),
        "X-Cellmeet-Offline-Sync": "1"
      },
      body: JSON.stringify({ captures: captures.map(function (c) {
        return { client_id: c.client_id, meeting: c.meeting, step: c.step, base_version: c.base_version, after: c.after, fields: c.fields };
      }) })
    }).then(function (response) {
      if (response.status === 401 || response.status === 403 || response.type === "opaqueredirect") {
        // Signed out, or a page from before she signed in again: the queue stays.
        problem = "signed_out";
        throw new Error("signed out");
      }
      if (!response.ok) { problem = "failed"; throw new Error(String(response.status)); }
      return response.json();
    }).then(function (answer) {
      var byId = {};
      captures.forEach(function (c) { byId[c.client_id] = c; });
      return Promise.all(answer.results.map(function (result) {
        var capture = byId[result.client_id];
        if (!capture) { return null; }
        if (result.status === "saved") {
          if (context && String(capture.meeting) === context.dataset.meeting && form && result.version) {
            var version = form.querySelector("input[name=version]");
            if (version) { version.value = result.version; }  // her next save follows it
          }
          return removeCapture(capture.client_id);
        }
        capture.state = result.status;
        capture.messages = result.messages;
        capture.resolve = result.resolve;
        return putCapture(capture);
      }));
    });
  }

  function sync() {
    if (syncing || !navigator.onLine) { return Promise.resolve(); }
    syncing = true;
    problem = "";
    return allCaptures().then(function (captures) {
      var pending = captures.filter(function (c) { return c.state === "pending"; });
      var groups = [];
      var byUrl = {};
      pending.forEach(function (c) {
        if (!byUrl[c.sync_url]) { byUrl[c.sync_url] = []; groups.push(c.sync_url); }
        byUrl[c.sync_url].push(c);
      });
      // One meeting after the other, each in the order she saved.
      return groups.reduce(function (done, url) {
        return done.then(function () { return send(url, byUrl[url]); });
      }, Promise.resolve()).then(function () { return pending.length; });
    }).then(function (sent) {
      syncing = false;
      if (sent) { prepare(); }
      return refresh();
    }, function () {
      syncing = false;
      if (!problem) { problem = "failed"; }
      return refresh();
    });
  }

  // ------------------------------------------------------------ the service worker
  var prepareStatus = document.getElementById("offline-prepare-status");

  function prepare() {
    if (!context || !navigator.onLine || !("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      // The meeting's page, and under it the one-page form and each step: "record/opening/"…
      var base = context.dataset.pages;
      registration.active.postMessage({
        type: "prepare",
        meeting: context.dataset.meeting,
        pages: [base].concat(context.dataset.steps.split(" ").map(function (step) { return base + step; }))
      });
    });
  }

  if ("serviceWorker" in navigator) {
    if (context) {
      navigator.serviceWorker.register(banner.dataset.worker, { scope: "/" }).catch(function () { return null; });
    }
    navigator.serviceWorker.addEventListener("message", function (event) {
      var message = event.data || {};
      if (message.type === "prepared" && context && String(message.meeting) === context.dataset.meeting) {
        document.documentElement.dataset.offlineReady = message.ok ? "1" : "0";
        if (prepareStatus) {
          prepareStatus.textContent = message.ok ? prepareStatus.dataset.ready : prepareStatus.dataset.failed;
        }
      }
    });
    // Signing out: the pages kept for offline leave this device (her captures stay).
    document.querySelectorAll("form[data-sign-out]").forEach(function (signOut) {
      signOut.addEventListener("submit", function () {
        if (navigator.serviceWorker.controller) { navigator.serviceWorker.controller.postMessage({ type: "forget" }); }
      });
    });
  }

  var prepareButton = document.getElementById("offline-prepare");
  if (prepareButton) {
    prepareButton.hidden = false;
    prepareButton.addEventListener("click", function () {
      if (prepareStatus) { prepareStatus.textContent = prepareStatus.dataset.working; }
      prepare();
    });
  }

  banner.querySelector("[data-offline-send]").addEventListener("click", sync);
  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", refresh);
  if (form) { form.addEventListener("submit", captureOffline); }

  showWhatIsWaiting();
  refresh().then(function () {
    // A moment after the page opened, and only if the browser still says "online": a
    // phone wakes up with a network that is not there yet.
    setTimeout(function () {
      if (navigator.onLine) {
        sync().then(function () { if (context) { prepare(); } });
      }
    }, 1000);
  });
})();
