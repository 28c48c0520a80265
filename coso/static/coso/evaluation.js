// coso: the fast-entry table of evaluation (evaluation/entry.html). No inline scripts (CSP).
//
// Each row posts itself through htmx when one of its fields changes; its cells come back
// re-rendered around its fields, which stay (hx-preserve) with the focus and what is being typed.
// The page's requests go one at a time (hx-sync="#main:queue all" on the rows and the panel): the
// saves keep their order, each sends the row's values of the moment it leaves, and they never
// compete for the database. This file adds the keyboard:
//   1-9 in a level select   choose that level (1 = the best), saved at once
//   Enter, ArrowDown         the same field in the next row (Shift+Enter, ArrowUp: the previous)
(() => {
  "use strict";
  const ROW = "tr[data-rating-row]";

  function move(from, step) {
    const table = from.closest("[data-entry-table]");
    const rows = Array.from(table.querySelectorAll(ROW));
    const col = from.dataset.col;
    for (let i = rows.indexOf(from.closest(ROW)) + step; i >= 0 && i < rows.length; i += step) {
      const target = rows[i].querySelector(`[data-col="${col}"]`);
      if (target) {
        target.focus();
        if (target.select) target.select();
        return;
      }
    }
  }

  document.addEventListener("keydown", (event) => {
    const el = event.target;
    if (!(el instanceof HTMLElement) || !el.dataset.col || !el.closest("[data-entry-table]")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (el.tagName === "SELECT" && /^[1-9]$/.test(event.key)) {
      const option = el.options[Number(event.key)]; // options[0] is the empty choice
      event.preventDefault();
      if (option && el.value !== option.value) {
        el.value = option.value;
        el.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return;
    }
    if (event.key === "Enter" || event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(el, event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey) ? -1 : 1);
    }
  });

})();
