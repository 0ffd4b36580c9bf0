// The export jobs page: every 2 s, refresh the rows of unfinished jobs from their status.json.
"use strict";

(() => {
  const INTERVAL_MS = 2000;
  const UNFINISHED = new Set(["queued", "running"]);

  const unfinishedRows = () =>
    Array.from(document.querySelectorAll("tr[data-status-url]")).filter((row) => UNFINISHED.has(row.dataset.state));

  const show = (row, status) => {
    row.dataset.state = status.state;
    row.querySelector(".js-state").textContent = status.state_label;
    const bar = row.querySelector(".js-progress");
    bar.max = Math.max(status.total, 1);
    bar.value = status.state === "done" ? bar.max : status.done;
    bar.textContent = `${status.percent}%`;
    row.querySelector(".js-count").textContent = `${status.done}/${status.total}`;
    const result = row.querySelector(".js-result");
    if (status.download_url) {
      const link = document.createElement("a");
      link.href = status.download_url;
      link.textContent = "下载 zip";
      result.replaceChildren(link);
    } else if (status.state === "failed") {
      const message = document.createElement("span");
      message.className = "errors";
      message.textContent = status.error;
      result.replaceChildren(message);
    }
  };

  const refresh = async (row) => {
    try {
      const response = await fetch(row.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        show(row, await response.json());
      }
    } catch (error) {
      // A failed poll is retried on the next tick.
    }
  };

  const poll = async () => {
    const rows = unfinishedRows();
    if (rows.length === 0) {
      return;
    }
    await Promise.all(rows.map(refresh));
    window.setTimeout(poll, INTERVAL_MS);
  };

  window.setTimeout(poll, INTERVAL_MS);
})();
