// The figures grid (编辑预算数字), on grid.js and numbers.js: what is its own is what the rows derive (totals by
// 支出类型, and the 类/款/项 and economic 类 summaries with 人员经费 against 公用经费) and the checks of a figure
// the ledger makes of its codes and project (domain.ledger, in its words). Rows, keys, paste, the 万元/元 switch
// and the checks of amounts are grid.js's.
"use strict";

(() => {
  const node = typeof module !== "undefined" && module.exports;
  const N = node ? require("./numbers.js") : globalThis.BudgetNumbers;

  // The server's words (entry.figures and domain.ledger), compared with them by the node tests.
  const MESSAGES = Object.freeze({
    functionRequired: "请填写7位项级功能分类科目编码（可按编码或名称搜索后从列表选择）。",
    economicRequired: "请填写5位款级经济分类科目编码（可按编码或名称搜索后从列表选择）。",
    functionNotLeaf: "功能分类科目必须是7位的项级科目：{code}",
    economicNotLeaf: "经济分类科目必须是5位的款级科目：{code}",
    functionNotInCatalogue: "{year}年度科目表中没有功能分类项级科目 {code}。",
    economicNotInCatalogue: "{year}年度科目表中没有经济分类款级科目 {code}。",
    projectRequired: "项目支出必须填写项目名称（已有项目可从列表选择，新名称将新建项目）。",
    projectNotAllowed: "只有项目支出可以填写项目；请清空项目或把支出类型改为项目支出。",
  });
  const CODES = {
    function: { width: 7, required: "functionRequired", notLeaf: "functionNotLeaf", missing: "functionNotInCatalogue" },
    economic: { width: 5, required: "economicRequired", notLeaf: "economicNotLeaf", missing: "economicNotInCatalogue" },
  };
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (whole, name) => values[name] ?? whole);

  // The code a cell holds as entry.fields.CodeField reads it: the code of a datalist pick, else the text.
  const codeIn = (text, width) => N.codeOf(text, width) ?? N.halfWidth(N.strip(text));

  // What the ledger says of one column of a row that is not blank ("" when nothing): a code of the year's
  // catalogue (``codes``: anything with has()), a project for 项目支出 and for it only. ``typing``: the focus is
  // still in the row, what is missing is not told yet.
  const figureProblem = (column, value, { kind = "", year = "", codes = new Set(), typing = false } = {}) => {
    const code = CODES[column];
    const clean = N.strip(value);
    if (code) {
      if (!clean) {
        return typing ? "" : MESSAGES[code.required];
      }
      const typed = codeIn(value, code.width);
      if (!new RegExp(`^[0-9]{${code.width}}$`).test(typed)) {
        return fill(MESSAGES[code.notLeaf], { code: typed });
      }
      return codes.has(typed) ? "" : fill(MESSAGES[code.missing], { year, code: typed });
    }
    if (column === "project") {
      if (kind === "project" && !clean) {
        return typing ? "" : MESSAGES.projectRequired;
      }
      return kind !== "project" && clean ? MESSAGES.projectNotAllowed : "";
    }
    return "";
  };

  // The totals by 支出类型 and the grand total of the rows' amounts that read in ``unit`` (entry.figures.totals).
  const kindTotals = (rows, unit) => {
    const byKind = new Map();
    let grand = 0n;
    for (const { kind, amount } of rows) {
      const micros = N.amountMicros(amount, unit);
      if (micros !== null) {
        byKind.set(kind, (byKind.get(kind) || 0n) + micros);
        grand += micros;
      }
    }
    return { byKind, grand };
  };

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

  if (node) {
    module.exports = { MESSAGES, figureProblem, kindTotals, summarize };
    return;
  }

  const form = document.getElementById("figures-form");
  const grid = globalThis.BudgetGrid?.of(form);
  if (!grid) {
    return;
  }
  const year = form.dataset.year || "";
  // The year's 项 and 款 by code (code → name), from the datalists the cells pick from.
  const catalogue = {
    function: globalThis.BudgetGrid.codes("function-codes"),
    economic: globalThis.BudgetGrid.codes("economic-codes"),
  };
  const value = (row, column) => grid.cell(row, column)?.value ?? "";
  const shown = () => grid.rows().filter((row) => !row.classList.contains("removed"));

  globalThis.BudgetGrid.check((input, row, { blankRow, typing }) => {
    const column = input.dataset.col;
    if (blankRow || !(column in CODES || column === "project")) {
      return "";
    }
    return figureProblem(column, input.value, { kind: value(row, "kind"), year, codes: catalogue[column], typing });
  });

  // --- Totals by kind, and what the figures derive ----------------------------------------------------------

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

  const render = () => {
    const unit = globalThis.BudgetGrid.unit(form);
    const rows = shown();
    const typed = rows.map((row) => ({ kind: value(row, "kind"), amount: value(row, "amount") }));
    const { byKind } = kindTotals(typed, unit);
    // The grand total is grid.js's (data-sum); the kinds' are this page's.
    for (const output of form.querySelectorAll(".js-total[data-kind]:not([data-sum])")) {
      output.textContent = N.printed(byKind.get(output.dataset.kind) || 0n);
    }
    if (!functionSummary || !economicSummary) {
      return;
    }
    const known = (column, row) => {
      const code = codeIn(value(row, column), CODES[column].width);
      return catalogue[column].has(code) ? code : "";
    };
    const entries = rows.map((row) => ({
      function: known("function", row),
      economic: known("economic", row),
      kind: value(row, "kind"),
      micros: N.amountMicros(value(row, "amount"), unit),
    }));
    const { byFunction, byEconomic, people, running } = summarize(entries, headings.personnel || []);
    const functionRows = Array.from(byFunction.keys())
      .sort()
      .map((key) => {
        const entry = byFunction.get(key);
        const name = key.length === 7 ? catalogue.function.get(key)?.split("（")[0] : headings.function?.[key];
        const amounts = [entry.total, entry.basic, entry.project, entry.other].map(N.printed);
        return summaryRow([`${key} ${name || ""}`, ...amounts], { 3: "class", 5: "section", 7: "item" }[key.length]);
      });
    functionSummary.replaceChildren(...functionRows);
    const economicRows = Array.from(byEconomic.keys())
      .sort()
      .map((code) => {
        const name = headings.economic?.[code] || "";
        return summaryRow([`${code} ${name}`, N.printed(byEconomic.get(code))], "class");
      });
    economicRows.push(summaryRow(["人员经费", N.printed(people)], "total"));
    economicRows.push(summaryRow(["公用经费", N.printed(running)], "total"));
    economicSummary.replaceChildren(...economicRows);
  };

  globalThis.BudgetGrid.onUpdate((updated) => {
    if (updated === form) {
      render();
    }
  });
})();
