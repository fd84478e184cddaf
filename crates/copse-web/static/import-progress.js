// Keeps an import run's page current while the run is queued, checking or
// loading: asks GET /api/v1/imports/{id} once a second and updates the
// status badge, the bar and the counts; when the run ends (done, failed or
// interrupted) it reloads the page, which then shows the outcome in full.
// Without JavaScript the page offers a reload link instead.
(function () {
  "use strict";
  var panel = document.querySelector("[data-import-run]");
  if (!panel) {
    return;
  }
  var id = panel.getAttribute("data-import-run");
  var labels = {
    queued: "Queued",
    checking: "Checking",
    loading: "Loading",
    done: "Done",
    failed: "Failed",
    interrupted: "Interrupted"
  };
  var grouped = function (n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  };
  var text = function (run) {
    if (run.status === "queued") {
      return "Waiting for the import worker to start it";
    }
    if (run.status === "checking") {
      return "Reading the whole input once to check it; nothing is written yet";
    }
    if (run.total_units !== null && run.total_units !== undefined) {
      return grouped(run.done_units) + " of " + grouped(run.total_units) + " records";
    }
    return grouped(run.done_units) + " records";
  };
  var setText = function (elementId, value) {
    var element = document.getElementById(elementId);
    if (element && element.textContent !== value) {
      element.textContent = value;
    }
  };
  var update = function (run) {
    var badge = document.getElementById("run-status");
    if (badge) {
      badge.className = "badge run-status run-" + run.status;
      setText("run-status", labels[run.status] || run.status);
    }
    var bar = document.getElementById("run-bar");
    if (bar && run.total_units) {
      bar.max = run.total_units;
      bar.value = Math.min(run.done_units, run.total_units);
    }
    setText("run-progress-text", text(run));
    setText("run-records", grouped(run.records));
    setText("run-added", grouped(run.added));
  };
  var poll = function () {
    fetch("/api/v1/imports/" + encodeURIComponent(id), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (run) {
        if (run) {
          update(run);
          if (run.finished) {
            window.location.reload();
            return;
          }
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        // The server may be restarting: keep asking, a little slower.
        window.setTimeout(poll, 3000);
      });
  };
  window.setTimeout(poll, 1000);
})();
