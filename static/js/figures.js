// The figures grid (编辑预算数字): totals as you type, Tab/Enter between cells, a block pasted from Excel, rows
// added and deleted, the 万元/元 switch in place, and a warning before leaving unsaved changes. Without JavaScript
// the page still works: the rows shown, the 改用元 link, and blank rows are not saved.
"use strict";

(() => {
  // --- Exact decimal arithmetic on strings (no floating point): amounts in millionths of the unit ----------------

  const SCALE = 6;
  const FULL_WIDTH = /[０-９．，－]/g;
  const halfWidth = (text) => text.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

  // "1,234.5" → 1234500000n (millionths); null for what is not a non-negative number with at most six decimals.
  const toMicros = (text) => {
    let clean = halfWidth(text).replace(/\s/g, "");
    if (/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(clean)) {
      clean = clean.replace(/,/g, "");
    }
    const match = /^(\d*)(?:\.(\d*))?$/.exec(clean);
    if (!match || (!match[1] && !match[2]) || (match[2] || "").length > SCALE) {
      return null;
    }
    return BigInt(match[1] || "0") * 10n ** BigInt(SCALE) + BigInt((match[2] || "").padEnd(SCALE, "0") || "0");
  };

  // Millionths → text with two decimals, rounded half-up (the rule of domain.money), grouped by thousands.
  const printed = (micros) => {
    const cents = (micros + 5000n) / 10000n;
    const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return `${whole}.${(cents % 100n).toString().padStart(2, "0")}`;
  };

  // Move the decimal point: 万元 → 元 is ×10000, 元 → 万元 is ÷10000 (exact; at least two decimals shown).
  const shifted = (text, toYuan) => {
    const micros = toMicros(text);
    if (micros === null) {
      return text;
    }
    const value = toYuan ? micros * 10000n : micros / 10000n;
    if (!toYuan && micros % 10000n !== 0n) {
      return text; // finer than 0.000001 万元: cannot be, the server refuses such yuan anyway
    }
    const whole = (value / 10n ** BigInt(SCALE)).toString();
    let fraction = (value % 10n ** BigInt(SCALE)).toString().padStart(SCALE, "0").replace(/0+$/, "");
    fraction = fraction.padEnd(2, "0");
    return `${whole}.${fraction}`;
  };

  const TRUE = ["1", "on", "true", "yes", "y", "是", "√", "✓", "上年结转"];

  // What the rows derive, as the official tables do: each readable amount of a catalogued 项 counted in its 类, 款
  // and 项 (by kind), basic expenditure by economic 类, and 人员经费 (the personnel 类) against 公用经费 (the rest).
  const summarize = (entries, personnelClasses) => {
    const personnel = new Set(personnelClasses);
    const byFunction = new Map();
    const byEconomic = new Map();
    let people = 0n;
    let running = 0n;
    for (const { function: code, economic, kind, micros } of entries) {
      if (!micros || !code) {
        continue;
      }
      for (const width of [3, 5, 7]) {
        const entry = byFunction.get(code.slice(0, width)) || { total: 0n, basic: 0n, project: 0n, other: 0n };
        entry.total += micros;
        entry[kind === "basic" || kind === "project" ? kind : "other"] += micros;
        byFunction.set(code.slice(0, width), entry);
      }
      if (kind === "basic" && economic) {
        const economicClass = economic.slice(0, 3);
        byEconomic.set(economicClass, (byEconomic.get(economicClass) || 0n) + micros);
        if (personnel.has(economicClass)) {
          people += micros;
        } else {
          running += micros;
        }
      }
    }
    return { byFunction, byEconomic, people, running };
  };

  if (typeof module !== "undefined") {
    module.exports = { toMicros, printed, shifted, summarize }; // for the tests (node)
    return;
  }

  const form = document.getElementById("figures-form");
  if (!form) {
    return;
  }
  const table = form.querySelector("table.figures-grid");
  const body = table.querySelector("tbody.js-rows");
  const template = form.querySelector("template.js-empty-row");
  const total = form.querySelector(".js-total-forms");
  const prefix = table.dataset.prefix;
  const maxRows = Number(table.dataset.maxRows || 2000);
  const COLUMNS = ["unit", "function", "economic", "kind", "source", "carried_over", "project", "amount"];
  const rows = () => Array.from(body.querySelectorAll("tr.js-row"));
  const cell = (row, column) => row.querySelector(`[data-col="${column}"]`);

  // --- Unsaved changes ------------------------------------------------------------------------------------------

  let dirty = form.dataset.dirty === "1"; // a refused save: what is shown was never saved
  const touched = () => {
    dirty = true;
  };
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  form.addEventListener("submit", () => {
    dirty = false;
  });

  // --- Code names and totals ------------------------------------------------------------------------------------

  const names = (listId) => {
    const map = new Map();
    for (const option of document.querySelectorAll(`#${listId} option`)) {
      const [code, ...rest] = option.value.split(" ");
      map.set(code, rest.join(" "));
    }
    return map;
  };
  const functionNames = names("function-codes");
  const economicNames = names("economic-codes");

  // A datalist pick "2070101 行政运行" keeps the code in the cell and shows the name beside it.
  const showName = (input) => {
    const map = input.dataset.col === "function" ? functionNames : economicNames;
    const code = halfWidth(input.value.trim()).split(/\s/)[0];
    if (map.has(code) && input.value !== code) {
      input.value = code;
    }
    const label = input.parentElement.querySelector(".code-name");
    if (label) {
      label.textContent = map.get(code) || "";
    }
  };

  // Errors at the cell before saving (the server checks again, and says why): a code not in the year's
  // catalogue, an amount that is not a number, a project missing or where it does not belong.
  const flag = (input, message) => {
    input.classList.toggle("invalid", Boolean(message));
    input.title = message || "";
  };
  const checkRow = (row) => {
    for (const [column, map, width] of [["function", functionNames, 7], ["economic", economicNames, 5]]) {
      const input = cell(row, column);
      const code = halfWidth(input.value.trim()).split(/\s/)[0];
      flag(input, code && !map.has(code) ? `本年度科目表中没有${width}位科目 ${code}` : "");
    }
    const amount = cell(row, "amount");
    const places = unitInput.value === "元" ? 2 : SCALE;
    const decimals = (halfWidth(amount.value).split(".")[1] || "").trim().length;
    const readable = !amount.value.trim() || (toMicros(amount.value) !== null && decimals <= places);
    flag(amount, readable ? "" : `金额只能填不为负的数字，最多 ${places} 位小数`);
    const project = cell(row, "project");
    const isProject = cell(row, "kind").value === "project";
    const named = Boolean(project.value.trim());
    flag(project, isProject && !named ? "项目支出必须填写项目" : !isProject && named ? "只有项目支出可以填写项目" : "");
  };

  const unitInput = form.querySelector(".js-unit");
  const updateTotals = () => {
    const sums = new Map();
    let grand = 0n;
    for (const row of rows()) {
      checkRow(row);
      const amount = cell(row, "amount");
      const micros = amount.value.trim() ? toMicros(amount.value) : 0n;
      if (micros === null) {
        continue;
      }
      const kind = cell(row, "kind").value;
      sums.set(kind, (sums.get(kind) || 0n) + micros);
      grand += micros;
    }
    for (const output of form.querySelectorAll(".js-total")) {
      output.textContent = printed(output.dataset.kind ? sums.get(output.dataset.kind) || 0n : grand);
    }
    renderDerived();
  };

  // --- What the figures derive: 类/款/项 totals by kind, basic expenditure by economic 类 (人员经费/公用经费) ---------

  const headings = JSON.parse(document.getElementById("figure-headings")?.textContent || "{}");
  const functionSummary = document.querySelector(".js-function-summary tbody");
  const economicSummary = document.querySelector(".js-economic-summary tbody");

  const summaryRow = (cells, level) => {
    const tr = document.createElement("tr");
    tr.className = `level-${level}`;
    cells.forEach((text, index) => {
      const td = document.createElement(index === 0 ? "th" : "td");
      td.textContent = text;
      if (index > 0) {
        td.className = "num";
      }
      tr.append(td);
    });
    return tr;
  };

  const renderDerived = () => {
    if (!functionSummary || !economicSummary) {
      return;
    }
    const code = (row, column) => halfWidth(cell(row, column).value.trim()).split(/\s/)[0];
    const entries = rows().map((row) => ({
      function: functionNames.has(code(row, "function")) ? code(row, "function") : "",
      economic: economicNames.has(code(row, "economic")) ? code(row, "economic") : "",
      kind: cell(row, "kind").value,
      micros: cell(row, "amount").value.trim() ? toMicros(cell(row, "amount").value) : null,
    }));
    const { byFunction, byEconomic, people, running } = summarize(entries, headings.personnel || []);
    const functionRows = Array.from(byFunction.keys()).sort().map((key) => {
      const entry = byFunction.get(key);
      const name = key.length === 7 ? functionNames.get(key)?.split("（")[0] : headings.function?.[key];
      return summaryRow(
        [`${key} ${name || ""}`, printed(entry.total), printed(entry.basic), printed(entry.project), printed(entry.other)],
        { 3: "class", 5: "section", 7: "item" }[key.length],
      );
    });
    functionSummary.replaceChildren(...functionRows);
    const economicRows = Array.from(byEconomic.keys())
      .sort()
      .map((code) => summaryRow([`${code} ${headings.economic?.[code] || ""}`, printed(byEconomic.get(code))], "class"));
    economicRows.push(summaryRow(["人员经费", printed(people)], "total"));
    economicRows.push(summaryRow(["公用经费", printed(running)], "total"));
    economicSummary.replaceChildren(...economicRows);
  };

  const renumber = () => {
    rows().forEach((row, index) => {
      const serial = row.querySelector(".js-serial");
      if (serial) {
        serial.textContent = String(index + 1);
      }
    });
  };

  // --- Rows -----------------------------------------------------------------------------------------------------

  const wire = (row) => {
    row.querySelector(".js-delete-row")?.removeAttribute("hidden");
  };

  const addRow = (after = null) => {
    const index = Number(total.value);
    if (rows().length >= maxRows) {
      window.alert(`最多 ${maxRows} 行。`);
      return null;
    }
    const holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    const row = holder.querySelector("tr");
    // A new row starts like the one above it (same unit, kind, source): the usual way of filling a budget.
    const model = after || rows()[rows().length - 1];
    if (model) {
      for (const column of ["unit", "kind", "source"]) {
        cell(row, column).value = cell(model, column).value;
      }
    }
    body.appendChild(row);
    total.value = String(index + 1);
    wire(row);
    renumber();
    return row;
  };

  body.addEventListener("click", (event) => {
    const button = event.target.closest(".js-delete-row");
    if (!button) {
      return;
    }
    const row = button.closest("tr.js-row");
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber();
    updateTotals();
    touched();
    next?.querySelector(".cell")?.focus();
  });

  const add = form.querySelector(".js-add-row");
  add.hidden = false;
  add.addEventListener("click", () => {
    const row = addRow();
    touched();
    cell(row, "function")?.focus();
  });

  body.addEventListener("input", (event) => {
    touched();
    updateTotals();
  });
  body.addEventListener("change", (event) => {
    touched();
    if (event.target.matches('[data-col="function"], [data-col="economic"]')) {
      showName(event.target);
    }
    updateTotals();
  });

  // --- Keyboard: Enter goes to the same column of the next row (a new row after the last) -----------------------

  body.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing || !event.target.matches(".cell")) {
      return;
    }
    event.preventDefault(); // never submits the form by accident
    const row = event.target.closest("tr.js-row");
    const column = event.target.dataset.col;
    if (column === "function" || column === "economic") {
      showName(event.target);
    }
    const next = row.nextElementSibling || addRow(row);
    cell(next, column)?.focus();
    cell(next, column)?.select?.();
  });

  // --- Paste: a block of cells from Excel (rows by line, cells by tab) from the focused cell on -----------------

  const setCell = (input, text) => {
    const value = text.trim();
    if (input.type === "checkbox") {
      input.checked = TRUE.includes(value.toLowerCase());
    } else if (input.tagName === "SELECT") {
      const option = Array.from(input.options).find((o) => o.value === value || o.text.trim() === value);
      if (option) {
        input.value = option.value;
      }
    } else {
      input.value = value;
      if (input.dataset.col === "function" || input.dataset.col === "economic") {
        showName(input);
      }
    }
  };

  // On the document: a paste into a focused select or checkbox targets the body (they hold no cursor).
  document.addEventListener("paste", (event) => {
    const text = (event.clipboardData || window.clipboardData)?.getData("text") || "";
    if (!/[\t\n]/.test(text.replace(/\r?\n$/, ""))) {
      return; // one value: the browser pastes it as usual
    }
    const focused = document.activeElement;
    const start = event.target.closest?.(".cell") || (focused?.matches(".cell") ? focused : null);
    if (!start || !body.contains(start)) {
      return;
    }
    event.preventDefault();
    const lines = text.replace(/\r/g, "").replace(/\n$/, "").split("\n");
    const firstColumn = COLUMNS.indexOf(start.dataset.col);
    let row = start.closest("tr.js-row");
    for (const [number, line] of lines.entries()) {
      if (number > 0) {
        row = row.nextElementSibling || addRow(row);
        if (!row) {
          break;
        }
      }
      line.split("\t").forEach((value, offset) => {
        const column = COLUMNS[firstColumn + offset];
        if (column) {
          setCell(cell(row, column), value);
        }
      });
    }
    touched();
    updateTotals();
  });

  // --- 万元 / 元 in place: every amount converted exactly, nothing lost ----------------------------------------------

  const toggle = document.querySelector(".js-unit-toggle");
  toggle?.addEventListener("click", (event) => {
    event.preventDefault();
    const to = toggle.dataset.unit;
    const from = unitInput.value;
    const toYuan = to === "元";
    for (const row of rows()) {
      const amount = cell(row, "amount");
      amount.value = shifted(amount.value, toYuan);
    }
    unitInput.value = to;
    toggle.dataset.unit = from;
    toggle.textContent = `改用${from}`;
    for (const label of document.querySelectorAll(".js-unit-label")) {
      label.textContent = to;
    }
    updateTotals();
  });

  rows().forEach(wire);
  updateTotals();
})();
