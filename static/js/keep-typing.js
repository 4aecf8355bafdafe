// Nothing typed is lost: a copy of every unsaved change stays in this browser
// (localStorage, per meeting and version), is offered back after any failure, and is
// cleared once the draft is saved; when she stops typing for a while the draft is
// also saved to the server in the background. The Save button stays the way to save.
(function () {
  "use strict";
  var form = document.getElementById("minutes-form");
  if (!form || !window.localStorage) { return; }
  var prefix = form.dataset.copyKey + ":";
  var versionInput = form.querySelector("input[name=version]");
  var banner = document.getElementById("browser-copy");
  var status = document.getElementById("autosave-status");
  var idleSeconds = parseInt(form.dataset.autosaveSeconds, 10) || 60;
  var SKIP = { csrfmiddlewaretoken: true, save: true, finalize: true, stay: true };

  function storage(action, key, value) {
    try {
      if (action === "set") { localStorage.setItem(key, value); return null; }
      if (action === "remove") { localStorage.removeItem(key); return null; }
      return localStorage.getItem(key);
    } catch (error) { return null; }  // full or forbidden: the page still works
  }

  function copyKeys() {
    var keys = [];
    for (var i = 0; i < localStorage.length; i += 1) {
      var key = localStorage.key(i);
      if (key && key.indexOf(prefix) === 0) { keys.push(key); }
    }
    return keys;
  }

  function forgetCopies() { copyKeys().forEach(function (key) { storage("remove", key); }); }

  function fields() {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || SKIP[element.name] || element.disabled || element.type === "file") { return; }
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) { return; }
      if (element.type === "submit" || element.type === "button") { return; }
      if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.forEach.call(element.selectedOptions, function (option) { pairs.push([element.name, option.value]); });
        return;
      }
      pairs.push([element.name, element.value]);
    });
    return pairs;
  }

  function withoutVersion(pairs) { return JSON.stringify(pairs.filter(function (pair) { return pair[0] !== "version"; })); }
  function sameAsPage(pairs) { return withoutVersion(pairs) === withoutVersion(fields()); }

  function writeCopy() {
    var pairs = fields();
    storage("set", prefix + versionInput.value, JSON.stringify({ savedAt: Date.now(), version: versionInput.value, fields: pairs }));
  }

  function latestCopy() {
    var best = null;
    copyKeys().forEach(function (key) {
      var copy;
      try { copy = JSON.parse(storage("get", key)); } catch (error) { return; }
      if (copy && copy.fields && (!best || copy.savedAt > best.savedAt)) { best = copy; }
    });
    return best;
  }

  function ensureRows(pairs) {
    // Rows added with "Add a row" before the copy was made: add them again first.
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      var total = form.querySelector("#id_" + button.dataset.addRow + "-TOTAL_FORMS");
      var wanted = 0;
      pairs.forEach(function (pair) { if (pair[0] === total.name) { wanted = parseInt(pair[1], 10) || 0; } });
      while (total && parseInt(total.value, 10) < wanted) { button.click(); }
    });
  }

  function restore(copy) {
    ensureRows(copy.fields);
    var values = {};
    copy.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || SKIP[element.name] || element.type === "file") { return; }
      var wanted = values[element.name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = wanted.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.forEach.call(element.options, function (option) { option.selected = wanted.indexOf(option.value) !== -1; });
      } else if (wanted.length) {
        // The version the copy was typed over: saving it checks nobody saved since.
        element.value = wanted[0];
      } else if (element.tagName !== "SELECT" && element.type !== "hidden") {
        element.value = "";
      }
    });
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function offer(copy) {
    var when = new Date(copy.savedAt);
    var shown = when.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" }) + " " + when.toLocaleDateString("vi-VN", { day: "2-digit", month: "2-digit", year: "numeric" });
    banner.querySelector("[data-copy-text]").textContent = banner.dataset.text.replace("%(time)s", shown);
    banner.hidden = false;
    banner.querySelector("[data-copy-restore]").onclick = function () {
      restore(copy);
      banner.hidden = true;
      writeCopy();
      scheduleAutosave();
    };
    banner.querySelector("[data-copy-dismiss]").onclick = function () {
      forgetCopies();
      banner.hidden = true;
    };
  }

  // On opening the page: a save just succeeded (clear), or a copy differs (offer it).
  if (form.dataset.justSaved === "1") {
    forgetCopies();
  } else {
    var copy = latestCopy();
    // A copy the page already shows (e.g. sent back with an error) stays, unsaved, unoffered.
    if (copy && !sameAsPage(copy.fields)) { offer(copy); }
  }

  var timer = null;
  var changedSinceAutosave = false;
  function said(template, time) { status.textContent = template.replace("%(time)s", time || ""); }

  function autosave() {
    timer = null;
    if (!changedSinceAutosave) { return; }
    changedSinceAutosave = false;
    var body = new FormData();
    fields().forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    fetch(window.location.pathname, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Cellmeet-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      if (response.type === "opaqueredirect") { throw new Error("signed out"); }
      return response.json().then(function (answer) { return { code: response.status, answer: answer }; });
    }).then(function (result) {
      var answer = result.answer;
      if (answer.saved) {
        if (!changedSinceAutosave) {
          forgetCopies();
        }
        versionInput.value = answer.version;
        if (changedSinceAutosave) { writeCopy(); }
        said(form.dataset.autosaveSaved, answer.time);
      } else if (answer.reason === "conflict") {
        said(form.dataset.autosaveConflict);
      } else if (answer.kept) {
        said(form.dataset.autosaveKept, new Date().toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" }));
      } else {
        said(form.dataset.autosaveFailed);
      }
    }).catch(function () {
      said(form.dataset.autosaveFailed);
    });
  }

  function scheduleAutosave() {
    changedSinceAutosave = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(autosave, idleSeconds * 1000);
  }

  function changed() {
    writeCopy();
    scheduleAutosave();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", function (event) { if (event.isTrusted) { changed(); } });
  // The copy stays until the next page says the save went through.
  form.addEventListener("submit", function () { if (timer) { clearTimeout(timer); timer = null; } writeCopy(); });
})();
