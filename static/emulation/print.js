// The "Print" button of the minutes page (no inline script: the Content-Security-Policy forbids it).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((el) => el.addEventListener("click", () => window.print()));
});
