// Sortable tables (the review dashboard): a column heading becomes a button that sorts by that column, and
// again in reverse. Tables are served already sorted, so they make sense without JavaScript.
// A cell's data-sort, when present, is its sort key; headings with data-sort-type="number" compare numbers.

function sortKey(row, index, numeric) {
  const cell = row.cells[index];
  const text = cell.dataset.sort ?? cell.textContent.trim();
  return numeric ? Number(text) : text.toLowerCase();
}

function sortBy(table, heading, index) {
  const ascending = heading.getAttribute("aria-sort") !== "ascending";
  for (const other of heading.parentElement.cells) other.removeAttribute("aria-sort");
  heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const numeric = heading.dataset.sortType === "number";
  const body = table.tBodies[0];
  const rows = [...body.rows].map((row) => [sortKey(row, index, numeric), Number(row.dataset.kbOrder), row]);
  rows.sort(([a, ai], [b, bi]) => {
    const order = numeric ? a - b : a.localeCompare(b, undefined, { numeric: true });
    return (ascending ? order : -order) || ai - bi; // ties keep the served (urgency) order
  });
  body.append(...rows.map(([, , row]) => row));
}

function makeSortable(table) {
  if (table.dataset.kbSortableReady || !table.tHead || !table.tBodies[0]) return;
  table.dataset.kbSortableReady = "true";
  [...table.tBodies[0].rows].forEach((row, i) => { row.dataset.kbOrder = String(i); });
  [...table.tHead.rows[0].cells].forEach((heading, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "kb-sort";
    button.append(...heading.childNodes);
    heading.append(button);
    button.addEventListener("click", () => sortBy(table, heading, index));
  });
}

function initSortable() {
  document.querySelectorAll("table[data-kb-sortable]").forEach(makeSortable);
}

// Loaded by the dashboard only, and again each time instant navigation shows it: subscribe once.
// Material's instant navigation swaps pages without reloading: document$ emits for every page shown.
if (window.kbSortable) initSortable();
else if (typeof document$ !== "undefined") document$.subscribe(initSortable);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initSortable);
else initSortable();
window.kbSortable = true;
