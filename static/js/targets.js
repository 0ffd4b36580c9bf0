// The performance target editors, on grid.js (rows added, moved, numbered and marked for deletion) and
// numbers.js: what is theirs is the 指标值 as it will print (comparator buttons, number, unit pick-list, or a
// word), the 二级指标 narrowed to the chosen 一级指标, and 从指标库选取 without a round trip. Without JavaScript
// the pages still work: one blank row to fill, the 排序 numbers, the 删除 boxes, the library buttons post.
"use strict";

(() => {
  const node = typeof module !== "undefined" && module.exports;
  const N = node ? require("./numbers.js") : globalThis.BudgetNumbers;

  // --- 指标值 as it will print (entry.targets_forms.printed_value) ------------------------------------------

  const FULL_WIDTH = /[０-９．]/g; // entry.targets_forms._FULL_WIDTH: digits and point only
  const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/; // entry.targets_forms._NUMBER
  const MAX_DIGITS = 15; // a number with more integer digits is ≥ 10¹⁴ (MAX_NUMBER)
  const MAX_PLACES = 6; // domain.performance.checks.MAX_PLACES

  // The 数值 as the server keeps and prints it ("098.50" → "98.5", "1e3" → "1000"); null for what it refuses
  // (entry.targets_forms.parse_number: a number from 0 below 10¹⁴ with at most six places) or a blank.
  const normaliseNumber = (text) => {
    const clean = N.strip(text).replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    if (!NUMBER.test(clean)) {
      return null;
    }
    let { negative, coefficient, exponent } = N.decimal(clean);
    if (coefficient === 0n) {
      return negative ? "-0" : "0"; // Decimal("-0") is not below zero, and prints so
    }
    if (negative || coefficient.toString().length + exponent >= MAX_DIGITS) {
      return null;
    }
    while (coefficient % 10n === 0n) {
      coefficient /= 10n;
      exponent += 1;
    }
    if (exponent < -MAX_PLACES) {
      return null;
    }
    if (exponent >= 0) {
      return (coefficient * 10n ** BigInt(exponent)).toString();
    }
    const digits = coefficient.toString().padStart(1 - exponent, "0");
    return `${digits.slice(0, exponent)}.${digits.slice(exponent)}`;
  };

  // domain.performance.values.IndicatorValue.__str__ of build_value(comparator, number, unit, word).
  const printedValue = (comparator, number, unit, word) => {
    if (N.strip(word)) {
      return N.strip(word);
    }
    const normalised = normaliseNumber(number);
    if (normalised === null) {
      return "";
    }
    const cleanUnit = N.strip(unit);
    return `${comparator}${normalised}${cleanUnit === "" || cleanUnit === "%" ? cleanUnit : ` ${cleanUnit}`}`;
  };

  if (node) {
    module.exports = { normaliseNumber, printedValue };
    return;
  }

  const Grid = globalThis.BudgetGrid;
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

  Grid.onRow((row) => {
    narrowLevel2(row);
    updatePreview(row);
  });
  for (const form of document.querySelectorAll("form.targets-form")) {
    form.addEventListener("input", (event) => {
      const row = event.target.closest(".js-row");
      if (row) {
        updatePreview(row);
      }
    });
    form.addEventListener("change", (event) => {
      const row = event.target.closest(".js-row");
      if (row && event.target.matches('[name$="-level1"]')) {
        narrowLevel2(row);
      }
      if (row) {
        updatePreview(row);
      }
    });
  }

  // --- 从指标库选取: a library indicator as a new row, without a round trip -------------------------------------

  const indicators = Grid.of(document.querySelector("#target-form .js-grid"));
  const CONTENT = ["level1", "level2", "name", "description", "number", "unit", "word", "basis"];
  const isBlank = (row) => CONTENT.every((name) => !field(row, name)?.value.trim());
  for (const button of indicators ? document.querySelectorAll(".js-from-library") : []) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      // The blank row kept at the end is used first, so that no empty rows pile up.
      const blank = indicators.rows().find((row) => isBlank(row) && !field(row, "DELETE")?.checked);
      const row = blank || indicators.addRow();
      if (!row) {
        return;
      }
      for (const name of ["level1", "level2", "name", "description", "unit"]) {
        field(row, name).value = button.dataset[name] || "";
      }
      narrowLevel2(row);
      field(row, "level2").value = button.dataset.level2 || "";
      // As if typed: the preview follows, and leaving the page now warns of the unsaved row.
      field(row, "name").dispatchEvent(new Event("input", { bubbles: true }));
      row.classList.add("just-added");
      row.scrollIntoView({ block: "center" });
      field(row, "number").focus();
    });
  }

  const filter = document.querySelector(".js-library-filter");
  filter?.addEventListener("input", () => {
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    for (const entry of document.querySelectorAll(".js-library-entry")) {
      entry.hidden = !words.every((word) => entry.textContent.toLowerCase().includes(word));
    }
  });
})();
