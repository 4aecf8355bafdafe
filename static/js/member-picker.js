// The box for several members (members.pickers.MemberPicks): a text box of names
// separated by ";" (which works on its own, without JavaScript) becomes a search by
// name with the chosen names shown as removable chips. The names searched are the
// page's one list of the cell's members (<datalist id="cell-members">), so a cell of
// 2,000 members costs one list, not one per task.
(function () {
  "use strict";
  var MAX_SHOWN = 8;

  function plain(text) {
    // Search ignores Vietnamese tone marks and case: "hoa" finds "Hòa", "d" finds "Đ".
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
  }

  function namesIn(box) {
    return box.value.split(/[;\n]/).map(function (name) { return name.trim(); }).filter(Boolean);
  }

  function enhance(box) {
    if (box.dataset.enhanced) { return; }
    var list = document.getElementById(box.getAttribute("list") || "");
    if (!list) { return; }  // without the list, the box stays a box to type names in
    box.dataset.enhanced = "1";
    var label = document.querySelector("label[for='" + box.id + "']");
    var name = label ? label.textContent.trim() : "";
    var picker = document.createElement("div");
    picker.className = "member-picker-box";
    var chips = document.createElement("ul");
    chips.className = "member-chips list-unstyled d-flex flex-wrap gap-1 mb-1";
    chips.setAttribute("aria-label", (box.dataset.chosen || "") + " " + name);
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control";
    search.id = box.id + "_search";
    search.setAttribute("autocomplete", "off");
    search.setAttribute("aria-label", (box.dataset.search || "") + " — " + name);
    search.placeholder = box.dataset.search || "";
    // The help said once above the rows (resolutions/_record_tasks.html).
    if (box.hasAttribute("aria-describedby")) {
      search.setAttribute("aria-describedby", box.getAttribute("aria-describedby"));
    }
    var results = document.createElement("ul");
    results.className = "member-results list-unstyled mb-0";
    var status = document.createElement("p");
    status.className = "small text-muted mb-0";
    status.setAttribute("aria-live", "polite");
    picker.appendChild(chips);
    picker.appendChild(search);
    picker.appendChild(results);
    picker.appendChild(status);
    box.classList.add("visually-hidden");
    box.setAttribute("tabindex", "-1");
    box.setAttribute("aria-hidden", "true");
    if (label) { label.setAttribute("for", search.id); }
    box.insertAdjacentElement("afterend", picker);

    function write(names) {
      box.value = names.join("; ");
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.dispatchEvent(new Event("change", { bubbles: true }));
      render();
    }

    function render() {
      chips.textContent = "";
      namesIn(box).forEach(function (chosen) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-sm btn-outline-secondary member-chip";
        button.textContent = chosen + " ×";
        button.setAttribute("aria-label", (box.dataset.remove || "%(name)s").replace("%(name)s", chosen));
        button.addEventListener("click", function () {
          write(namesIn(box).filter(function (other) { return other !== chosen; }));
          search.focus();
        });
        item.appendChild(button);
        chips.appendChild(item);
      });
    }

    function find() {
      results.textContent = "";
      var wanted = plain(search.value.trim());
      if (!wanted) { status.textContent = ""; return; }
      var chosen = namesIn(box);
      var found = 0;
      Array.prototype.some.call(list.options, function (option) {
        var label = option.value;
        if (chosen.indexOf(label) !== -1 || plain(label).indexOf(wanted) === -1) { return false; }
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-link p-1 text-start member-result";
        button.textContent = "+ " + label;
        button.addEventListener("click", function () {
          write(namesIn(box).concat([label]));
          search.value = "";
          find();
          search.focus();
        });
        item.appendChild(button);
        results.appendChild(item);
        found += 1;
        return found >= MAX_SHOWN;
      });
      status.textContent = found ? "" : (box.dataset.none || "");
    }

    search.addEventListener("input", find);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // never submits the minutes by accident
        event.preventDefault();
        var first = results.querySelector("button");
        if (first) { first.click(); }
      }
    });
    box.addEventListener("cellmeet-restored", render);
    render();
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("input.member-picker").forEach(enhance);
  }
  window.cellmeetEnhancePickers = enhanceAll;
  // A restored copy sets the names back: show the chips it chose.
  document.addEventListener("change", function (event) {
    if (event.target.id === "minutes-form") {
      document.querySelectorAll("input.member-picker").forEach(function (box) {
        box.dispatchEvent(new Event("cellmeet-restored"));
      });
    }
  });
  enhanceAll(document);
})();
