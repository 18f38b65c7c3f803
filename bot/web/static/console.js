// Small touches, no framework: live recipient counts and delivery progress.
(function () {
  "use strict";
  function debounce(fn, ms) { var t; return function () { clearTimeout(t); t = setTimeout(fn, ms); }; }

  // A form with data-count-url shows how many people its current choices reach.
  document.querySelectorAll("form[data-count-url]").forEach(function (form) {
    var out = document.getElementById(form.dataset.countTarget);
    if (!out) { return; }
    var update = debounce(function () {
      var params = new URLSearchParams(new FormData(form));
      params.delete("csrf"); params.delete("text");
      fetch(form.dataset.countUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { out.textContent = data.recipients; } });
    }, 250);
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  });

  // An element with data-progress-url refreshes its delivery figures every 2 seconds.
  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    function refresh() {
      fetch(box.dataset.progressUrl, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          Object.keys(data.counts).forEach(function (state) {
            var cell = box.querySelector("[data-state='" + state + "']");
            if (cell) { cell.textContent = data.counts[state]; }
          });
          var bar = box.querySelector("progress");
          if (bar) { bar.value = data.done_percent; }
          var label = box.querySelector("[data-done]");
          if (label) { label.textContent = data.done_percent + "%"; }
          if (!data.finished) { setTimeout(refresh, 2000); }
        });
    }
    setTimeout(refresh, 1000);
  });

  // Buttons with data-confirm ask before submitting.
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
    });
  });
})();
