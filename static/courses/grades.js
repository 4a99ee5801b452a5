// Grade-entry grid: Enter / Shift+Enter move down / up in the same column, arrow keys move too,
// a focused cell selects its content, and leaving the page with unsaved edits asks first.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("grade-grid");
  if (!form) return;
  const cell = (row, col) => form.querySelector(`input[data-row="${row}"][data-col="${col}"]`);
  let dirty = false;

  form.querySelectorAll("input[data-row]").forEach((input) => {
    input.addEventListener("keydown", (event) => {
      const row = Number(input.dataset.row);
      const col = Number(input.dataset.col);
      let target = null;
      if (event.key === "Enter") target = cell(event.shiftKey ? row - 1 : row + 1, col);
      else if (event.key === "ArrowDown") target = cell(row + 1, col);
      else if (event.key === "ArrowUp") target = cell(row - 1, col);
      else return;
      event.preventDefault(); // Enter would submit the form
      if (target) { target.focus(); target.select(); }
    });
    input.addEventListener("focus", () => input.select());
    input.addEventListener("input", () => { dirty = true; });
  });
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
});
