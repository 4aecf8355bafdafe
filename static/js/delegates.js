// "Add as guest" for the superior committee's delegates on the minutes page.
// Fills the next empty guest row with the delegate's name, position and unit, and
// the row's hidden delegate field, so the committee can count the visit.
(function () {
  "use strict";
  var hint = document.getElementById("delegate-hint");
  var form = hint && hint.closest("form");
  if (!form) { return; }

  function nameInput(row) { return row.querySelector("input[name$='-name']"); }

  function emptyRow() {
    var rows = document.querySelectorAll("#guest-rows .formset-row");
    for (var i = 0; i < rows.length; i += 1) {
      var input = nameInput(rows[i]);
      if (input && !input.value.trim()) { return rows[i]; }
    }
    return null;
  }

  function newRow() {
    var addButton = form.querySelector("[data-add-row='guests']");
    if (!addButton) { return null; }
    addButton.click();
    return emptyRow();
  }

  function delegateInput(row, prefix) {
    var name = prefix + "-delegate";
    var input = form.querySelector("input[name='" + name + "']");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.id = "id_" + name;
      row.appendChild(input);
    }
    return input;
  }

  function set(row, field, value) {
    var input = row.querySelector("input[name$='-" + field + "']");
    if (input) { input.value = value; }
  }

  hint.querySelectorAll("[data-delegate]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var row = emptyRow() || newRow();
      if (!row) { return; }
      var prefix = nameInput(row).name.replace(/-name$/, "");
      set(row, "name", button.dataset.name);
      set(row, "title", button.dataset.title);
      set(row, "unit", button.dataset.unit);
      delegateInput(row, prefix).value = button.dataset.delegate;
      button.disabled = true;
      form.dispatchEvent(new Event("input", { bubbles: true }));  // unsaved changes
      nameInput(row).focus();
    });
  });

  // A guest row emptied by hand is no longer the delegate's.
  form.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.name || !/^guests-\d+-name$/.test(input.name) || input.value.trim()) { return; }
    var linked = form.querySelector("input[name='" + input.name.replace(/-name$/, "-delegate") + "']");
    if (linked && linked.value) {
      var button = hint.querySelector("[data-delegate='" + linked.value + "']");
      if (button) { button.disabled = false; }
      linked.value = "";
    }
  });
})();
