// coso: small behaviours, no inline scripts (the CSP forbids them).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("select[data-autosubmit]")) el.form.submit();
});

// Tree nodes: the first click loads the children through htmx (hx-trigger="click once");
// later clicks only show or hide them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-tree-toggle]");
  if (!button) return;
  const target = document.getElementById(button.getAttribute("aria-controls"));
  const expanded = button.getAttribute("aria-expanded") === "true";
  button.setAttribute("aria-expanded", expanded ? "false" : "true");
  if (button.dataset.loaded === "1") target.hidden = expanded;
  else { button.dataset.loaded = "1"; target.hidden = false; }
});

// After a picker search, select the first option so Enter/submit takes it.
document.addEventListener("htmx:afterSwap", (event) => {
  const el = event.detail.target;
  if (el.tagName === "SELECT" && el.options.length > 1 && !el.value) el.selectedIndex = 1;
});
