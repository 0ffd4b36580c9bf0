// The small entry pages (单位, 项目, 部门职责与说明): add a row, mark one for deletion, a live character count, Enter
// moving down a column, and a warning before leaving with unsaved changes. Everything also works without it.
(function () {
  "use strict";

  function setUpRows(form) {
    const rows = form.querySelector(".js-rows");
    const template = form.querySelector("template.js-empty-row");
    const total = form.querySelector(".js-total-forms");
    const add = form.querySelector(".js-add-row");
    if (rows && template && total && add) {
      add.hidden = false;
      add.addEventListener("click", () => {
        const index = Number(total.value);
        const html = template.innerHTML.replace(/__prefix__/g, String(index));
        rows.insertAdjacentHTML("beforeend", html);
        total.value = String(index + 1);
        const added = rows.lastElementChild;
        const first = added && (added.querySelector("input.name") || added.querySelector("input[type=text], select"));
        if (first) first.focus();
      });
    }
    form.addEventListener("change", (event) => {
      const box = event.target;
      if (box.classList && box.classList.contains("js-delete")) {
        box.closest("tr").classList.toggle("removed", box.checked);
      }
    });
    // Enter in a cell moves to the same column of the next row (as in Excel) instead of saving the page.
    form.addEventListener("keydown", (event) => {
      const cell = event.target;
      if (event.key !== "Enter" || !cell.classList || !cell.classList.contains("cell") || cell.tagName === "TEXTAREA") {
        return;
      }
      event.preventDefault();
      const row = cell.closest("tr");
      const column = Array.from(row.querySelectorAll(".cell")).indexOf(cell);
      const next = row.nextElementSibling;
      const target = next && next.querySelectorAll(".cell")[column];
      if (target) target.focus();
      else if (add && !add.hidden) add.click();
    });
  }

  function setUpCount(form) {
    form.querySelectorAll("textarea.js-count").forEach((area) => {
      const output = form.querySelector(".js-count-output");
      const max = Number(area.dataset.max || 0);
      const update = () => {
        if (!output) return;
        const length = area.value.replace(/\r\n/g, "\n").trim().length;
        output.textContent = String(length);
        output.classList.toggle("over", max > 0 && length > max);
      };
      area.addEventListener("input", update);
      update();
    });
  }

  function setUpWarning(form) {
    let dirty = form.dataset.dirty === "1"; // a refused save: what is shown was never saved
    const touch = (event) => {
      dirty = true;
      // The spare row for a new entry is left out of a printout only while nothing is typed in it.
      const spare = event.target.closest && event.target.closest("tr.blank-row");
      if (spare) spare.classList.remove("blank-row");
    };
    form.addEventListener("input", touch);
    form.addEventListener("change", touch);
    form.addEventListener("submit", () => {
      dirty = false;
    });
    window.addEventListener("beforeunload", (event) => {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  document.querySelectorAll("form.entry-form").forEach((form) => {
    setUpRows(form);
    setUpCount(form);
    setUpWarning(form);
  });
})();
