// The co-assignee picker: a <select multiple> (which works on its own, without
// JavaScript) becomes a search box by name with the chosen names shown as removable
// chips, so a cell of 2,000 members is as easy to pick from as one of 20.
(function () {
  "use strict";
  var MAX_SHOWN = 8;

  function plain(text) {
    // Search ignores Vietnamese tone marks and case: "hoa" finds "Hòa", "d" finds "Đ".
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
  }

  function enhance(select) {
    if (select.dataset.enhanced) { return; }
    select.dataset.enhanced = "1";
    var label = document.querySelector("label[for='" + select.id + "']");
    var name = label ? label.textContent.trim() : "";
    var box = document.createElement("div");
    box.className = "member-picker-box";
    var chips = document.createElement("ul");
    chips.className = "member-chips list-unstyled d-flex flex-wrap gap-1 mb-1";
    chips.setAttribute("aria-label", (select.dataset.chosen || "") + " " + name);
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control";
    search.id = select.id + "_search";
    search.setAttribute("autocomplete", "off");
    search.setAttribute("aria-label", (select.dataset.search || "") + " — " + name);
    search.placeholder = select.dataset.search || "";
    // The help said once above the rows (resolutions/_record_tasks.html).
    if (select.hasAttribute("aria-describedby")) {
      search.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    }
    var results = document.createElement("ul");
    results.className = "member-results list-unstyled mb-0";
    var status = document.createElement("p");
    status.className = "small text-muted mb-0";
    status.setAttribute("aria-live", "polite");
    box.appendChild(chips);
    box.appendChild(search);
    box.appendChild(results);
    box.appendChild(status);
    select.classList.add("visually-hidden");
    select.setAttribute("tabindex", "-1");
    select.setAttribute("aria-hidden", "true");
    if (label) { label.setAttribute("for", search.id); }
    select.insertAdjacentElement("afterend", box);

    function choose(option, chosen) {
      option.selected = chosen;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      render();
    }

    function render() {
      chips.textContent = "";
      Array.prototype.forEach.call(select.selectedOptions, function (option) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-sm btn-outline-secondary member-chip";
        button.textContent = option.textContent + " ×";
        button.setAttribute("aria-label", (select.dataset.remove || "%(name)s").replace("%(name)s", option.textContent));
        button.addEventListener("click", function () { choose(option, false); search.focus(); });
        item.appendChild(button);
        chips.appendChild(item);
      });
    }

    function find() {
      results.textContent = "";
      var wanted = plain(search.value.trim());
      if (!wanted) { status.textContent = ""; return; }
      var found = 0;
      Array.prototype.some.call(select.options, function (option) {
        if (option.selected || !option.value || plain(option.textContent).indexOf(wanted) === -1) { return false; }
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-link p-1 text-start member-result";
        button.textContent = "+ " + option.textContent;
        button.addEventListener("click", function () {
          choose(option, true);
          search.value = "";
          find();
          search.focus();
        });
        item.appendChild(button);
        results.appendChild(item);
        found += 1;
        return found >= MAX_SHOWN;
      });
      status.textContent = found ? "" : (select.dataset.none || "");
    }

    search.addEventListener("input", find);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // never submits the minutes by accident
        event.preventDefault();
        var first = results.querySelector("button");
        if (first) { first.click(); }
      }
    });
    select.addEventListener("change", render);
    render();
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select.member-picker[multiple]").forEach(enhance);
  }
  window.cellmeetEnhancePickers = enhanceAll;
  // A restored copy sets the options back: show the chips it chose.
  document.addEventListener("change", function (event) {
    if (event.target.id === "minutes-form") {
      document.querySelectorAll("select.member-picker[multiple]").forEach(function (select) {
        select.dispatchEvent(new Event("change"));
      });
    }
  });
  enhanceAll(document);
})();
