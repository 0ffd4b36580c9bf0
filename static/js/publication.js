// 发布公开 runs in the background: follow its steps from publish/status/, and reload the page once it has ended
// (the page then shows the published document, or why it was not published).
"use strict";

(() => {
  const INTERVAL_MS = 1500;
  const box = document.querySelector(".publication-progress[data-status-url]");
  if (!box) {
    return;
  }
  const bar = box.querySelector(".js-progress");
  const step = box.querySelector(".js-step");

  const poll = async () => {
    try {
      const response = await fetch(box.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        const status = await response.json();
        bar.max = status.steps_total;
        bar.value = status.steps_done;
        step.textContent = status.step || status.state_label;
        if (status.state === "done" || status.state === "failed") {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A failed poll is retried on the next tick.
    }
    window.setTimeout(poll, INTERVAL_MS);
  };

  window.setTimeout(poll, INTERVAL_MS);
})();
