// The performance target editors: rows added, moved and filled in the page; 二级指标 narrowed to the chosen
// 一级指标; the 指标值 shown as it will print. Without JavaScript the pages still work: one blank row to fill, the
// 排序 numbers, the 删除 boxes, and the library buttons go through the server.
"use strict";

(() => {
  // --- 指标值 as it will print (the same as entry.targets_forms.printed_value) ---------------------------------

  const FULL_WIDTH = /[０-９．]/g;
  const NUMBER = /^[+]?(\d+(\.\d*)?|\.\d+)$/;
  const COMPARATORS = ["≥", "≤", "=", ">", "<"];

  // "098.50" → "98.5", "1.0" → "1"; null for what is not a plain number from 0 up (the server says why).
  const normaliseNumber = (text) => {
    let number = text.trim().replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    if (!NUMBER.test(number)) {
      return null;
    }
    number = number.replace(/^\+/, "");
    let [whole, fraction = ""] = number.split(".");
    whole = whole.replace(/^0+(?=\d)/, "") || "0";
    fraction = fraction.replace(/0+$/, "");
    return fraction ? `${whole}.${fraction}` : whole;
  };

  const printedValue = (comparator, number, unit, word) => {
    if (word.trim()) {
      return word.trim();
    }
    const normalised = normaliseNumber(number);
    if (normalised === null) {
      return "";
    }
    const cleanUnit = unit.trim();
    const shownUnit = cleanUnit === "" || cleanUnit === "%" ? cleanUnit : ` ${cleanUnit}`;
    return `${COMPARATORS.includes(comparator) ? comparator : ""}${normalised}${shownUnit}`;
  };

  if (typeof module !== "undefined") {
    module.exports = { normaliseNumber, printedValue }; // for the tests (node)
    return;
  }

  // --- One row ------------------------------------------------------------------------------------------

  const field = (row, name) => row.querySelector(`[name$="-${name}"]`);

  const updatePreview = (row) => {
    const output = row.querySelector(".js-preview");
    if (!output) {
      return;
    }
    const checked = row.querySelector('input[type="radio"][name$="-comparator"]:checked');
    output.textContent = printedValue(
      checked ? checked.value : "",
      field(row, "number").value,
      field(row, "unit").value,
      field(row, "word").value,
    );
  };

  // Only the 二级指标 of the chosen 一级指标 (the optgroup of that label) can be picked.
  const narrowLevel2 = (row) => {
    const level1 = field(row, "level1");
    const level2 = field(row, "level2");
    if (!level1 || !level2) {
      return;
    }
    for (const group of level2.querySelectorAll("optgroup")) {
      const allowed = !level1.value || group.label === level1.value;
      group.hidden = !allowed;
      group.disabled = !allowed;
    }
    const selected = level2.selectedOptions[0];
    if (selected && selected.parentElement.tagName === "OPTGROUP" && selected.parentElement.disabled) {
      level2.value = "";
    }
  };

  const markRemoved = (row) => {
    const remove = field(row, "DELETE");
    row.classList.toggle("removed", Boolean(remove && remove.checked));
  };

  const wire = (row) => {
    row.querySelector(".js-move")?.removeAttribute("hidden");
    row.addEventListener("input", () => updatePreview(row));
    row.addEventListener("change", (event) => {
      if (event.target.matches('[name$="-level1"]')) {
        narrowLevel2(row);
      }
      if (event.target.matches('[name$="-DELETE"]')) {
        markRemoved(row);
      }
      updatePreview(row);
    });
    narrowLevel2(row);
    markRemoved(row);
    updatePreview(row);
  };

  // --- A formset: rows added from the template, moved up and down, numbered in the order shown -------------

  const setUpFormset = (fieldset) => {
    const prefix = fieldset.dataset.formset;
    const table = fieldset.querySelector("table");
    const template = fieldset.querySelector("template.js-empty-row");
    const total = fieldset.querySelector(`[name="${prefix}-TOTAL_FORMS"]`);
    const maximum = Number(fieldset.querySelector(`[name="${prefix}-MAX_NUM_FORMS"]`)?.value || 1000);
    const rows = () => Array.from(table.querySelectorAll("tbody.js-row"));

    const renumber = () => {
      rows().forEach((row, index) => {
        const order = field(row, "ORDER");
        if (order) {
          order.value = String(index + 1);
        }
      });
    };

    const addRow = () => {
      const index = Number(total.value);
      if (index >= maximum) {
        window.alert(`最多 ${maximum} 行。`);
        return null;
      }
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      const holder = document.createElement("tbody");
      table.appendChild(holder);
      holder.outerHTML = html;
      total.value = String(index + 1);
      const row = rows()[rows().length - 1];
      wire(row);
      renumber();
      return row;
    };

    table.addEventListener("click", (event) => {
      const button = event.target.closest(".js-up, .js-down");
      if (!button) {
        return;
      }
      const row = button.closest("tbody.js-row");
      if (button.classList.contains("js-up") && row.previousElementSibling?.matches("tbody.js-row")) {
        row.parentElement.insertBefore(row, row.previousElementSibling);
      } else if (button.classList.contains("js-down") && row.nextElementSibling?.matches("tbody.js-row")) {
        row.parentElement.insertBefore(row.nextElementSibling, row);
      }
      renumber();
      button.focus();
    });

    const add = fieldset.querySelector(".js-add-row");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", () => addRow()?.querySelector("input, select, textarea")?.focus());
    }
    rows().forEach(wire);
    renumber();
    return { addRow, rows };
  };

  // --- 从指标库选取: a library indicator as a new row, without a round trip ---------------------------------------

  const setUpLibrary = (formset) => {
    const isBlank = (row) =>
      ["level1", "level2", "name", "description", "number", "unit", "word", "basis"].every(
        (name) => !field(row, name)?.value.trim(),
      );
    for (const button of document.querySelectorAll(".js-from-library")) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        // The blank row kept at the end is used first, so that no empty rows pile up.
        const blank = formset.rows().find((row) => isBlank(row) && !field(row, "DELETE")?.checked);
        const row = blank || formset.addRow();
        if (!row) {
          return;
        }
        for (const name of ["level1", "level2", "name", "description", "unit"]) {
          field(row, name).value = button.dataset[name] || "";
        }
        narrowLevel2(row);
        field(row, "level2").value = button.dataset.level2 || "";
        updatePreview(row);
        row.classList.add("just-added");
        row.scrollIntoView({ block: "center" });
        field(row, "number").focus();
      });
    }
    const filter = document.querySelector(".js-library-filter");
    if (filter) {
      filter.addEventListener("input", () => {
        const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        for (const entry of document.querySelectorAll(".js-library-entry")) {
          const text = entry.textContent.toLowerCase();
          entry.hidden = !words.every((word) => text.includes(word));
        }
      });
    }
  };

  let indicators = null;
  for (const fieldset of document.querySelectorAll("fieldset[data-formset]")) {
    const formset = setUpFormset(fieldset);
    if (fieldset.closest("#target-form")) {
      indicators = formset;
    }
  }
  if (indicators) {
    setUpLibrary(indicators);
  }
})();
