// Reports page: poll each unfinished job's status JSON and drive its Bootstrap progress bar;
// show the download link when the workbook is ready, or the message when it failed.
(function () {
  "use strict";
  const POLL_MS = 1500;
  const BADGES = { queued: "text-bg-secondary", running: "text-bg-primary", done: "text-bg-success", failed: "text-bg-danger" };

  function setBar(row, percent) {
    const bar = row.querySelector(".js-bar");
    if (!bar) return;
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", String(percent));
  }

  function render(row, data) {
    const state = row.querySelector(".js-state");
    state.textContent = data.state_label;
    state.classList.remove(...Object.values(BADGES));
    state.classList.add(BADGES[data.state] || "text-bg-secondary");
    row.querySelector(".js-message").textContent = data.message || "";
    setBar(row, data.progress);
    if (!data.finished) return;
    const progress = row.querySelector(".progress");
    if (progress) progress.remove();
    if (data.download_url) {
      const link = row.querySelector(".js-download");
      link.href = data.download_url;
      link.classList.remove("d-none");
      row.querySelector(".js-rows").textContent = data.rows.toLocaleString("vi-VN");
      const resend = row.querySelector(".js-resend");
      if (resend) resend.remove();
    }
  }

  function poll(row) {
    fetch(row.dataset.reportStatus, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((data) => {
        render(row, data);
        if (!data.finished) window.setTimeout(() => poll(row), POLL_MS);
      })
      .catch(() => window.setTimeout(() => poll(row), POLL_MS * 4));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-report-status]").forEach((row) => {
      const bar = row.querySelector(".js-bar");
      if (bar) setBar(row, Number(bar.dataset.progress || 0));
      poll(row);
    });
  });
})();
