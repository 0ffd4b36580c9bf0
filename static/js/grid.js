// A table-shaped entry grid, driven by data-attributes (used by 编辑政府采购和资产; any page can use it):
//
//   form.js-grid-form[data-dirty]     the form; data-dirty="1" when what is shown was never saved (a refused save)
//     input.js-unit                   the amount unit posted ("万元" or "元"); a.js-unit-toggle switches it in place
//     .js-status                      where the count of cells to fix is said when a save is held back
//     .js-grid[data-prefix][data-columns][data-max-rows]   one grid; data-columns: the columns in the order a
//                                     pasted block fills them (a column without a cell, e.g. a derived 合计, is skipped)
//       input.js-total-forms, tbody.js-rows > tr.js-row, template.js-empty-row, button.js-add-row
//       tr.js-row: th.js-serial, .cell[data-col][data-kind=text|amount|quantity] (data-required="label",
//                  data-in-list="label" with list=…), output.js-row-total[data-sum="col col …"], .js-delete-row
//       output.js-total[data-sum="col col …"]: the sum of those columns over the grid's rows
//     input[data-kind=date][data-message]  a date outside the grids, checked as typed
//
// Amounts are exact (BigInt millionths of the unit, never floating point) and printed as the server prints its
// totals (entry.figures.printed_total); a blank amount is zero. Without JavaScript the page still works.
"use strict";

(() => {
  const SCALE = 6; // millionths: 0.000001 万元 is one fen
  const MAX_YUAN = 10n ** 14n; // domain.ledger.MAX_AMOUNT
  const MAX_QUANTITY = 10n ** 10n; // ProcurementItem.quantity: max_digits=12, decimal_places=2
  const FULL_WIDTH = /[０-９．，－]/g;
  const halfWidth = (text) => text.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

  // "1,234.5" → 1234500000n; null for what is not a non-negative number with at most six decimals.
  const toMicros = (text) => {
    let clean = halfWidth(String(text)).replace(/\s/g, "");
    if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(clean)) {
      clean = clean.replace(/,/g, "");
    }
    const match = /^(\d*)(?:\.(\d*))?$/.exec(clean);
    if (!match || (!match[1] && !match[2]) || (match[2] || "").length > SCALE) {
      return null;
    }
    return BigInt(match[1] || "0") * 10n ** BigInt(SCALE) + BigInt((match[2] || "").padEnd(SCALE, "0"));
  };

  // Millionths → two decimals, half-up (domain.money), grouped by thousands.
  const printed = (micros) => {
    const cents = (micros + 5000n) / 10000n;
    const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return `${whole}.${(cents % 100n).toString().padStart(2, "0")}`;
  };

  // 万元 → 元 (×10000) or back, exactly; what does not read, or would lose a digit, stays as typed.
  const shifted = (text, toYuan) => {
    const micros = toMicros(text);
    if (micros === null || (!toYuan && micros % 10000n !== 0n)) {
      return text;
    }
    const value = toYuan ? micros * 10000n : micros / 10000n;
    const whole = (value / 10n ** BigInt(SCALE)).toString();
    const fraction = (value % 10n ** BigInt(SCALE)).toString().padStart(SCALE, "0").replace(/0+$/, "");
    return `${whole}.${fraction.padEnd(2, "0")}`;
  };

  // The problem with a number cell as the server words it (entry.figures.parse_amount,
  // entry.procurement.parse_quantity); "" when it reads. Blank reads as zero.
  const decimals = (text) => (halfWidth(text).replace(/\s/g, "").split(".")[1] || "").length;
  const amountProblem = (text, unit) => {
    const clean = halfWidth(String(text)).replace(/\s/g, "");
    if (!clean) {
      return "";
    }
    const places = unit === "元" ? 2 : SCALE;
    if (clean.startsWith("-") && toMicros(clean.slice(1)) !== null) {
      return "金额不能为负数。";
    }
    if (!/^(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?$/.test(clean) || !/\d/.test(clean)) {
      return `金额只能填数字（${unit}），如 12.50。`;
    }
    if (decimals(clean) > places) {
      const exact = unit === "元" ? "元以下到分" : "0.000001 万元即 1 分";
      return `金额最多保留 ${places} 位小数（${unit}；${exact}）。`;
    }
    const micros = toMicros(clean);
    const limit = (unit === "元" ? MAX_YUAN : MAX_YUAN / 10000n) * 10n ** BigInt(SCALE);
    return micros >= limit ? "金额过大。" : "";
  };
  const quantityProblem = (text) => {
    const clean = halfWidth(String(text)).replace(/\s/g, "");
    if (!clean) {
      return "";
    }
    const micros = toMicros(clean);
    if (micros === null || decimals(clean) > 2) {
      return "数量只能填不为负的数字，最多保留 2 位小数，如 5 或 5.2。";
    }
    return micros >= MAX_QUANTITY * 10n ** BigInt(SCALE) ? "数量过大。" : "";
  };

  // A date as the server reads it (entry.procurement.parse_as_of): 2020-12-31, 2020/12/31, 2020年12月31日.
  const dateProblem = (text, message = "请按“2020-12-31”的格式填写日期。") => {
    const clean = String(text).trim();
    if (!clean) {
      return "";
    }
    const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(clean);
    if (!match) {
      return message;
    }
    const [year, month, day] = match.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    return real && year >= 1 ? "" : message;
  };

  // A block copied from Excel: rows by line, cells by tab (the last line break is Excel's, not an empty row).
  const splitBlock = (text) =>
    String(text)
      .replace(/\r\n?/g, "\n")
      .replace(/\n$/, "")
      .split("\n")
      .map((line) => line.split("\t"));

  if (typeof module !== "undefined") {
    module.exports = { toMicros, printed, shifted, amountProblem, quantityProblem, dateProblem, splitBlock }; // for node tests
    return;
  }

  const form = document.querySelector("form.js-grid-form");
  if (!form) {
    return;
  }
  const unitInput = form.querySelector(".js-unit");
  const status = form.querySelector(".js-status");
  const unit = () => (unitInput ? unitInput.value : "万元");

  // --- Unsaved changes ------------------------------------------------------------------------------------------

  let dirty = form.dataset.dirty === "1";
  const touched = () => {
    dirty = true;
  };
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- Checks at the cell ---------------------------------------------------------------------------------------

  const listValues = new Map();
  const inList = (input) => {
    const id = input.getAttribute("list");
    if (!listValues.has(id)) {
      const options = document.querySelectorAll(`datalist#${CSS.escape(id)} option`);
      listValues.set(id, new Set(Array.from(options, (option) => option.value)));
    }
    return listValues.get(id).has(input.value.trim());
  };

  const problem = (input) => {
    const value = input.value;
    switch (input.dataset.kind) {
      case "amount":
        return amountProblem(value, unit());
      case "quantity":
        return quantityProblem(value);
      case "date":
        return dateProblem(value, input.dataset.message);
      default:
        if (input.dataset.inList && value.trim() && !inList(input)) {
          return `请从列表中选择${input.dataset.inList}，或留空。`;
        }
        return "";
    }
  };

  const flag = (input, message) => {
    input.classList.toggle("invalid", Boolean(message));
    input.title = message;
    const cellBox = input.closest("td") || input.parentElement;
    let note = cellBox.querySelector(".js-cell-error");
    if (!note) {
      note = document.createElement("span");
      note.className = "cell-error js-cell-error";
      note.setAttribute("role", "alert");
      cellBox.appendChild(note);
    }
    note.textContent = message;
  };

  // A row that is not blank needs its required cells (a blank row is not saved: nothing to say).
  const checkRow = (row) => {
    const cells = Array.from(row.querySelectorAll(".cell"));
    const blank = cells.every((input) => !input.value.trim());
    for (const input of cells) {
      let message = problem(input);
      if (!message && input.dataset.required && !blank && !input.value.trim()) {
        message = `请填写${input.dataset.required}。`;
      }
      flag(input, message);
    }
  };

  // --- Grids ----------------------------------------------------------------------------------------------------

  const micros = (input) => (input && input.value.trim() ? toMicros(input.value) || 0n : 0n);

  const setUpGrid = (grid) => {
    const body = grid.querySelector("tbody.js-rows");
    const template = grid.querySelector("template.js-empty-row");
    const total = grid.querySelector(".js-total-forms");
    const columns = (grid.dataset.columns || "").split(/\s+/).filter(Boolean);
    const maxRows = Number(grid.dataset.maxRows || 500);
    const rows = () => Array.from(body.querySelectorAll("tr.js-row"));
    const cell = (row, column) => row.querySelector(`.cell[data-col="${column}"]`);

    const update = () => {
      const sums = new Map();
      for (const row of rows()) {
        checkRow(row);
        for (const input of row.querySelectorAll('.cell[data-kind="amount"]')) {
          sums.set(input.dataset.col, (sums.get(input.dataset.col) || 0n) + micros(input));
        }
        for (const output of row.querySelectorAll(".js-row-total")) {
          const names = output.dataset.sum.split(/\s+/);
          output.textContent = printed(names.reduce((sum, name) => sum + micros(cell(row, name)), 0n));
        }
      }
      for (const output of grid.querySelectorAll("tfoot .js-total")) {
        const names = output.dataset.sum.split(/\s+/);
        output.textContent = printed(names.reduce((sum, name) => sum + (sums.get(name) || 0n), 0n));
      }
    };

    const renumber = () => {
      rows().forEach((row, index) => {
        row.querySelector(".js-serial").textContent = String(index + 1);
      });
    };

    const addRow = () => {
      if (rows().length >= maxRows) {
        window.alert(`每张表最多 ${maxRows} 行。`);
        return null;
      }
      const index = Number(total.value);
      const holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      const row = holder.querySelector("tr");
      body.appendChild(row);
      total.value = String(index + 1);
      row.querySelector(".js-delete-row")?.removeAttribute("hidden");
      renumber();
      return row;
    };

    const add = grid.querySelector(".js-add-row");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", () => {
        const row = addRow();
        touched();
        row?.querySelector(".cell")?.focus();
      });
    }

    body.addEventListener("click", (event) => {
      const button = event.target.closest(".js-delete-row");
      if (!button) {
        return;
      }
      const row = button.closest("tr.js-row");
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      update();
      touched();
      next?.querySelector(".cell")?.focus();
    });

    body.addEventListener("input", (event) => {
      // The server's message at this cell was about what is being changed now.
      event.target.closest("td")?.querySelector("ul.errors")?.remove();
      update();
    });

    // Enter: the same column of the next row (a new row after the last); Shift+Enter: the row above.
    body.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.isComposing || !event.target.matches(".cell")) {
        return;
      }
      event.preventDefault(); // never submits the form by accident
      const row = event.target.closest("tr.js-row");
      const next = event.shiftKey ? row.previousElementSibling : row.nextElementSibling || addRow();
      const target = next && cell(next, event.target.dataset.col);
      if (target) {
        target.focus();
        target.select?.();
      }
    });

    // A block of cells from Excel, from the focused cell on; rows added as needed.
    body.addEventListener("paste", (event) => {
      const text = (event.clipboardData || window.clipboardData)?.getData("text") || "";
      const start = event.target.closest?.(".cell");
      if (!start || !/[\t\n]/.test(text.replace(/\r?\n$/, ""))) {
        return; // one value: the browser pastes it as usual
      }
      event.preventDefault();
      const first = columns.indexOf(start.dataset.col);
      let row = start.closest("tr.js-row");
      for (const [number, values] of splitBlock(text).entries()) {
        if (number > 0) {
          row = row.nextElementSibling || addRow();
          if (!row) {
            break;
          }
        }
        values.forEach((value, offset) => {
          const target = columns[first + offset] && cell(row, columns[first + offset]);
          if (target) {
            target.value = value.trim();
          }
        });
      }
      touched();
      update();
    });

    rows().forEach((row) => row.querySelector(".js-delete-row")?.removeAttribute("hidden"));
    return { update };
  };

  const grids = Array.from(form.querySelectorAll(".js-grid"), setUpGrid);
  const updateAll = () => grids.forEach((grid) => grid.update());

  // Fields outside the grids (e.g. a date) are checked as they are typed too.
  const dates = form.querySelectorAll('input[data-kind="date"]');
  const checkDates = () => dates.forEach((input) => flag(input, problem(input)));
  form.addEventListener("input", (event) => {
    touched();
    if (event.target.matches('input[data-kind="date"]')) {
      event.target.parentElement.parentElement.querySelector("ul.errors")?.remove();
      flag(event.target, problem(event.target));
    }
  });
  form.addEventListener("change", touched);

  // Hold a save back while a cell says what is wrong (the server would refuse it, and say the same).
  form.addEventListener("submit", (event) => {
    updateAll();
    checkDates();
    const invalid = form.querySelectorAll("input.invalid");
    if (invalid.length) {
      event.preventDefault();
      if (status) {
        status.textContent = `有 ${invalid.length} 处需要修改（标红处），尚未保存。`;
      }
      invalid[0].focus();
      return;
    }
    dirty = false;
  });

  // --- 万元 / 元 in place: every amount converted exactly ------------------------------------------------------

  const toggle = document.querySelector(".js-unit-toggle");
  toggle?.addEventListener("click", (event) => {
    event.preventDefault();
    const to = toggle.dataset.unit;
    const from = unit();
    for (const input of form.querySelectorAll('.cell[data-kind="amount"]')) {
      input.value = shifted(input.value, to === "元");
    }
    unitInput.value = to;
    form.dataset.unit = to;
    toggle.dataset.unit = from;
    toggle.textContent = `改用${from}`;
    for (const label of document.querySelectorAll(".js-unit-label")) {
      label.textContent = to;
    }
    updateAll();
  });

  updateAll();
})();
