// Small helps on the minutes page; the page works without them.
(function () {
  "use strict";
  var form = document.getElementById("minutes-form");
  if (!form) { return; }

  // Live attendance counts: present x/y (percent), as the secretary clicks. The rule is
  // the server's: each row says how it counts (data-counts-present: in x and y once
  // marked present; data-summoned: in y whatever its mark); this only adds them up.
  var counter = document.getElementById("present-count");
  function updateCounts() {
    var rows = form.querySelectorAll(".attendance-row");
    // A large cell's attendance is paged: the other pages count as they are saved.
    var summoned = parseInt(counter.dataset.summonedElsewhere || "0", 10);
    var present = parseInt(counter.dataset.presentElsewhere || "0", 10);
    rows.forEach(function (row) {
      var checked = row.querySelector("input[type=radio]:checked");
      var counted = checked && checked.value === "present" && row.dataset.countsPresent === "1";
      if (counted) { present += 1; }
      if (counted || row.dataset.summoned === "1") { summoned += 1; }
    });
    var percent = summoned ? Math.round(1000 * present / summoned) / 10 : 0;
    var shown = percent.toLocaleString(document.documentElement.lang || "vi", {minimumFractionDigits: 1});
    counter.textContent = counter.textContent.replace(/\d+\/\d+ \([\d.,]+%\)/, present + "/" + summoned + " (" + shown + "%)");
  }
  // The reason box only matters for a member absent with reason: shown then, or
  // when it holds text or an error, so 36 rows stay short on a phone.
  function syncReason(row) {
    var cell = row.querySelector(".reason-cell");
    if (!cell) { return; }
    var checked = row.querySelector("input[type=radio]:checked");
    var box = cell.querySelector("input");
    var hide = !(checked && checked.value === "absent_excused") && !box.value && !cell.querySelector(".text-danger");
    // The cell stays (the table keeps its columns); what is in it hides.
    Array.prototype.forEach.call(cell.children, function (part) { part.hidden = hide; });
  }
  form.querySelectorAll(".attendance-row").forEach(syncReason);
  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") {
      updateCounts();
      var row = event.target.closest(".attendance-row");
      if (row) { syncReason(row); }
    }
  });

  var allPresent = document.getElementById("all-present");
  if (allPresent) {
    allPresent.addEventListener("click", function () {
      form.querySelectorAll(".attendance-row[data-summoned='1']").forEach(function (row) {
        if (!row.querySelector("input[type=radio]:checked")) {
          row.querySelector("input[type=radio][value='present']").checked = true;
        }
      });
      updateCounts();
    });
  }

  // "Add a row" for guests and speakers: rows already typed stay as they are.
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.addRow;
      var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
      var index = parseInt(total.value, 10);
      var html = document.getElementById(button.dataset.template).innerHTML.replace(/__prefix__/g, index);
      document.getElementById(button.dataset.target).insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      var added = document.getElementById(button.dataset.target).lastElementChild;
      if (window.cellmeetEnhancePickers) { window.cellmeetEnhancePickers(added); }
      var first = added.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
  });

  // Warn before leaving with unsaved changes.
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();

// The resolution's title is needed as soon as a task is entered: say so as she types.
(function () {
  "use strict";
  var title = document.querySelector("[data-needed-with-tasks]");
  var rows = document.getElementById("task-rows");
  if (!title || !rows) { return; }
  function sync() {
    var any = Array.prototype.some.call(rows.querySelectorAll("input[name$='-title']"), function (box) {
      return box.value.trim() !== "";
    });
    if (any) { title.setAttribute("aria-required", "true"); } else { title.removeAttribute("aria-required"); }
  }
  rows.addEventListener("input", sync);
  sync();
})();

// Reviewing last month's tasks: what to do with a task not done only matters then.
(function () {
  "use strict";
  function sync(card) {
    var checked = card.querySelector("input[name$='-result']:checked");
    var done = checked && (checked.value === "done" || checked.value === "in_progress");
    // An overdue task still under way needs its new deadline (resolutions.services).
    var needsDeadline = checked && checked.value === "in_progress" && card.dataset.overdue === "1";
    card.querySelectorAll(".if-not-done").forEach(function (part) {
      part.hidden = done && !(needsDeadline && part.classList.contains("if-new-deadline"));
    });
  }
  document.querySelectorAll(".task-review").forEach(function (card) {
    sync(card);
    card.addEventListener("change", function () { sync(card); });
  });
})();

// A saved task folded into one line (resolutions/_record_task_row.html): the line
// follows what she changes inside, so it never shows what is no longer there.
(function () {
  "use strict";
  function names(row) {
    // The boxes hold names (members.pickers): the lead's, then the helpers' by ";".
    var lead = row.querySelector("input[name$='-lead']");
    var helpers = row.querySelector("input[name$='-assignees']");
    var chosen = lead && lead.value.trim() ? [lead.value.trim()] : [];
    (helpers ? helpers.value.split(";") : []).forEach(function (name) {
      name = name.trim();
      if (name && chosen.indexOf(name) === -1) { chosen.push(name); }
    });
    return chosen.join(", ");
  }
  document.querySelectorAll("[data-task-row]").forEach(function (row) {
    function show(name, text) {
      var target = row.querySelector("[data-task-shows='" + name + "']");
      if (target) { target.textContent = text; }
    }
    function sync() {
      show("title", row.querySelector("input[name$='-title']").value);
      show("people", names(row));
      show("due_on", row.querySelector("input[name$='-due_on']").value);
    }
    row.addEventListener("input", sync);
    row.addEventListener("change", sync);
  });
})();

// The blank task row folded under "Add a task": one way to add a task at a time. Once
// it is open, the button under the rows adds more.
(function () {
  "use strict";
  var folded = document.querySelector("[data-task-new]");
  var button = document.querySelector("[data-add-row='tasks']");
  if (!folded || !button || folded.open) { return; }
  button.hidden = true;
  folded.addEventListener("toggle", function () {
    if (!folded.open) { return; }
    button.hidden = false;
    var first = folded.querySelector("input:not([type=hidden])");
    if (first) { first.focus(); }
  });
})();
