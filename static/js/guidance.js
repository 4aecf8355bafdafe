// "Copy into the news briefing": appends the superior's material to the minutes'
// news briefing box. Without JavaScript the material stays readable beside the box.
(function () {
  "use strict";
  var target = document.getElementById("id_news_briefing");
  if (!target) { return; }
  document.querySelectorAll("[data-copy-guidance]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copyGuidance);
    if (!source) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      var current = target.value.replace(/\s+$/, "");
      if (current.indexOf(text) === -1) {
        target.value = current ? current + "\n\n" + text : text;
        // Lets the page know the minutes changed (the unsaved-changes warning).
        target.dispatchEvent(new Event("input", { bubbles: true }));
      }
      button.textContent = button.dataset.copiedLabel;
      button.disabled = true;
      target.focus();
    });
  });
})();
