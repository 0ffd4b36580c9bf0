// 批注 on an official table's page: the cells and rows with an open thread are marked, and a click on a cell
// chooses its row and column in the new-comment form. Without JavaScript the form's selects do the same.
"use strict";

(() => {
  const section = document.getElementById("comments");
  if (!section || !section.dataset.columns) return;
  const columns = section.dataset.columns.split(" ");

  // The cell of a row printing column ``key``: the row's cells after its serial, 合计 spanning several columns.
  function cellAt(row, key) {
    let index = 0;
    for (const cell of row.children) {
      if (cell.classList.contains("serial")) continue;
      const span = Number(cell.getAttribute("colspan") || 1);
      if (columns.slice(index, index + span).includes(key)) return cell;
      index += span;
    }
    return null;
  }

  function columnOf(row, target) {
    let index = 0;
    for (const cell of row.children) {
      if (cell.classList.contains("serial")) continue;
      const span = Number(cell.getAttribute("colspan") || 1);
      if (cell === target) return columns[index + span - 1];
      index += span;
    }
    return "";
  }

  function rowOf(table, label) {
    for (const row of table.querySelectorAll("tbody tr")) if (row.dataset.row === label) return row;
    return null;
  }

  for (const thread of section.querySelectorAll("li.thread:not(.resolved)")) {
    const table = document.querySelector(`table.official[data-table="${CSS.escape(thread.dataset.table)}"]`);
    const row = table && thread.dataset.row ? rowOf(table, thread.dataset.row) : null;
    if (!row) continue;
    const marked = thread.dataset.column ? cellAt(row, thread.dataset.column) || row : row;
    marked.classList.add("commented");
    marked.title = "有未解决的批注";
  }

  const form = document.getElementById("new-comment");
  if (!form) return;
  for (const table of document.querySelectorAll("table.official")) {
    table.addEventListener("click", (event) => {
      const cell = event.target.closest("td");
      const row = cell && cell.closest("tbody tr");
      if (!row || cell.classList.contains("serial")) return;
      form.elements.table.value = table.dataset.table;
      form.elements.row.value = row.dataset.row;
      form.elements.column.value = columnOf(row, cell);
      form.elements.text.focus();
    });
  }
})();
