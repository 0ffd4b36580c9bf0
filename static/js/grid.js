// The one behaviour of every table-shaped entry page (Django formsets posted all at once), driven by the markup.
// Load numbers.js before it, and a page's own module (figures.js, targets.js) after it. Without JavaScript every
// page still works: the rows shown, a blank row to fill, the delete boxes, the ?unit= link.
//
//   form.js-grid-form                 a form this drives: a warning before leaving unsaved changes (armed from the
//     [data-dirty="1"]                start when what is shown was never saved: a refused save), and a save held
//                                     back while cells say what is wrong, with their count in .js-status
//     input.js-unit[type=hidden]      the unit amounts are typed in (万元 | 元), posted with them; a.js-unit-toggle
//                                     [data-unit=the other] rewrites every amount in place, .js-unit-label shows it
//     textarea.js-count[data-max]     a live count of the characters the server counts, in the .js-count-output of
//                                     the element its aria-describedby names (else the form's)
//     input[data-kind=date]           a field outside the grids checked as typed (kinds below)
//   .js-grid (the form itself may be one): one formset
//     [data-prefix]                   its prefix: the row count is input.js-total-forms or [name=<prefix>-TOTAL_FORMS]
//     [data-max-rows]                 at most this many rows (else <prefix>-MAX_NUM_FORMS, else no limit)
//     [data-columns="a b …"]          the columns a pasted block fills, in order; a name without a cell (a derived
//                                     合计) takes its value and drops it. Default: the row's cells in order
//     [data-focus="col"]              the cell a new row gets the focus in (default: its first)
//     .js-rows > .js-row              the rows: a tr, or a tbody where one row takes several lines
//     template.js-empty-row           a new row, "__prefix__" standing for its index
//     .js-add-row[hidden]             shown, adds a row; where there is one, Enter in the last row and a pasted
//                                     block longer than the grid add rows too
//     .js-serial                      the row's number, renumbered after a change (its text only)
//     input[name$="-ORDER"]           Django's order field: the row's position, set as rows are added and moved
//     .js-move[hidden] .js-up .js-down   shown; move the row up or down
//     .js-delete-row[hidden]          shown; takes the row off the page (the server skips the missing index)
//     input.js-delete, [name$="-DELETE"]   a delete mark: the row shows .removed while it is checked
//     output.js-row-total[data-sum="col …"]   the sum of those amount cells of its row
//     output.js-total[data-sum="col …"]       the sum of those amount columns over the grid's rows
//   .cell[data-col]                   a cell (input, select, checkbox): Enter goes to the same column of the next
//                                     row (Shift+Enter: the row above), a pasted block starts at it
//     [data-kind=text]                the default
//     [data-kind=amount]              an amount in the unit, read as AmountField reads it (a blank is 0)
//     [data-kind=quantity]            a quantity (parse_quantity)
//     [data-kind=date][data-message]  a date (parse_as_of); data-message: the words when it does not read
//     [data-kind=code][data-width]    a classification code: a datalist pick "2070101 行政运行" keeps the code,
//                                     the name shows in the cell's .code-name
//     [data-required="label"]         "请填写label。" when blank in a row that is not blank (blank rows are not
//                                     saved); told once the focus has left the row
//     [data-in-list="label"][list]    one of the datalist's options (or blank): "请从列表中选择label，或留空。", or
//                                     data-in-list-message with {value}
//     [data-repeat]                   a new row starts with the value of this cell in the row above
//   A row is blank when its text cells are (selects always hold a value). A pasted word checks a checkbox when it
//   means yes (entry.rows.TRUE_WORDS, or the box's own label, as FlagField reads it).
//
// Page modules build on window.BudgetGrid: of(element) (a grid: rows, cell, addRow, update), check(fn) (a cell
// check of their own), onUpdate(fn) (after every recount), onRow(fn) (every row, and each one added), codes(id)
// (a datalist's code → name) and unit(form). Pure parts are exported to node for the tests.
"use strict";

(() => {
  const N = typeof module !== "undefined" && module.exports ? require("./numbers.js") : globalThis.BudgetNumbers;
  const TRUE_WORDS = ["1", "on", "true", "yes", "y", "是", "√", "✓"]; // entry.rows.TRUE_WORDS

  // --- What does not need a page (the node tests hold it to the server) -------------------------------------

  // entry.duties.clean_duties: line breaks as \n, no blanks at line ends or around; counted by code point (len()).
  const cleanText = (text) =>
    N.strip(
      String(text ?? "")
        .replace(/\r\n?/g, "\n")
        .split("\n")
        .map(N.stripEnd)
        .join("\n"),
    );
  const textLength = (text) => [...cleanText(text)].length;

  // What a pasted word means for a checkbox labelled ``label``.
  const isTrue = (word, label = "") => {
    const clean = N.strip(word).toLowerCase();
    return TRUE_WORDS.includes(clean) || (Boolean(label) && clean === label.toLowerCase());
  };

  // The problem with one cell, from what its markup declares; "" when there is none.
  //   kind, value, unit ("万元" | "元"), message (a date's words), required / inList (labels), inListMessage,
  //   options (what the list holds; for a code, its codes), blankRow (the row is not saved), typing (the focus
  //   is still in the row: what is missing is not told yet).
  const cellProblem = (cell) => {
    const { kind = "text", value = "", unit, message, width, required, inList, inListMessage, options } = cell;
    const { blankRow = false, typing = false } = cell;
    const clean = N.strip(value);
    if (!clean) {
      return required && !blankRow && !typing ? `请填写${required}。` : "";
    }
    let problem = "";
    let key = clean;
    if (kind === "amount") {
      problem = N.amountProblem(value, unit);
    } else if (kind === "quantity") {
      problem = N.quantityProblem(value);
    } else if (kind === "date") {
      problem = N.asOfProblem(value, message || undefined);
    } else if (kind === "code") {
      key = N.codeOf(value, Number(width)) ?? N.halfWidth(clean);
    }
    if (!problem && inList && options && !options.has(key)) {
      problem = inListMessage ? inListMessage.replace(/\{value\}/g, key) : `请从列表中选择${inList}，或留空。`;
    }
    return problem;
  };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { TRUE_WORDS, cleanText, textLength, isTrue, cellProblem };
    return;
  }

  // --- Page modules' hooks ----------------------------------------------------------------------------------

  const checks = []; // (input, row, { blankRow, typing, unit }) => message
  const updates = []; // (form) => void, after every recount
  const rowHooks = []; // (row, grid) => void
  const grids = new Map(); // .js-grid element → grid

  // --- Cells ------------------------------------------------------------------------------------------------

  const isText = (input) => input.matches("input:not([type=checkbox]):not([type=radio]), textarea");
  const cellsOf = (row) => Array.from(row.querySelectorAll(".cell"));
  const cellOf = (row, column) =>
    typeof column === "number" ? cellsOf(row)[column] : row.querySelector(`.cell[data-col="${column}"]`);
  const columnOf = (input) => input.dataset.col ?? cellsOf(input.closest(".js-row")).indexOf(input);
  const isBlankRow = (row) => cellsOf(row).filter(isText).every((input) => !N.strip(input.value));

  // A datalist's options: value → "" (a code list: code → name, from "2070101 行政运行").
  const lists = new Map();
  const listOf = (id, coded) => {
    const key = `${coded ? "code" : "text"}:${id}`;
    if (!lists.has(key)) {
      const values = Array.from(document.querySelectorAll(`datalist#${CSS.escape(id)} option`), (o) => o.value);
      const entries = values.map((value) => {
        if (!coded) {
          return [value, ""];
        }
        const [code, ...name] = N.strip(value).split(" ");
        return [code, name.join(" ")];
      });
      lists.set(key, new Map(entries));
    }
    return lists.get(key);
  };

  // A list's names that only one code has → that code (domain.names.codes_by_name): "办公费" stands for 30201.
  const byName = new Map();
  const codeByName = (id) => {
    if (!byName.has(id)) {
      const counts = new Map();
      const found = new Map();
      for (const [code, label] of listOf(id, true)) {
        // The list shows a 项 as "name（款 name）": its own name is a name too, if no other 项 has it.
        for (const name of new Set([label, label.replace(/（[^（）]*(（[^（）]*）[^（）]*)*）$/, "")])) {
          counts.set(name, (counts.get(name) || 0) + 1);
          found.set(name, code);
        }
      }
      byName.set(id, new Map(Array.from(found).filter(([name]) => name && counts.get(name) === 1)));
    }
    return byName.get(id);
  };

  // A code cell keeps the code of a datalist pick (or of a name only one code has) and shows its name beside it.
  const settleCode = (input, cut = true) => {
    let code = N.codeOf(input.value, Number(input.dataset.width)) ?? N.halfWidth(N.strip(input.value));
    const names = input.list ? listOf(input.list.id, true) : new Map();
    if (cut && !names.has(code) && input.list) {
      code = codeByName(input.list.id).get(code) ?? code;
    }
    if (cut && names.has(code) && input.value !== code) {
      input.value = code;
    }
    const label = input.parentElement.querySelector(".code-name");
    if (label) {
      label.textContent = names.get(code) || "";
      label.title = label.textContent;
    }
  };

  // What a cell holds, to remember it (undo) and to copy it out (a select as its words, as a paste reads them).
  const valueOf = (input) => (input.type === "checkbox" ? input.checked : input.value);
  const setValueOf = (input, value) => {
    if (input.type === "checkbox") {
      input.checked = Boolean(value);
    } else {
      input.value = value;
    }
  };
  const copiedText = (input) => {
    if (input.type === "checkbox") {
      return input.checked ? "是" : "";
    }
    if (input.tagName === "SELECT") {
      const option = input.selectedOptions[0];
      return option ? option.title || option.text.trim() : "";
    }
    return input.value;
  };

  const unitOf = (form) => form?.querySelector("input.js-unit[type=hidden]")?.value || N.WAN;

  // A message at its cell: outlined, as its title, and in words under it, unless the server's list there says it.
  const flag = (input, message) => {
    input.classList.toggle("invalid", Boolean(message));
    if (message) {
      input.title = message;
    } else {
      input.removeAttribute("title");
    }
    const box = input.closest("td, p, .field") || input.parentElement;
    const told = Array.from(box.querySelectorAll("ul.errors li"), (li) => li.textContent);
    let note = box.querySelector(".js-cell-error");
    if (!note && message && !told.includes(message)) {
      note = document.createElement("span");
      note.className = "cell-error js-cell-error";
      note.setAttribute("role", "alert");
      box.appendChild(note);
    }
    if (note) {
      note.textContent = told.includes(message) ? "" : message;
    }
  };

  const problemOf = (input, row, context) => {
    const { dataset } = input;
    const problem = cellProblem({
      kind: dataset.kind,
      value: input.value,
      unit: context.unit,
      message: dataset.message,
      width: dataset.width,
      required: dataset.required,
      inList: dataset.inList,
      inListMessage: dataset.inListMessage,
      options: dataset.inList && input.list ? listOf(input.list.id, dataset.kind === "code") : null,
      ...context,
    });
    // A page's own checks are of grid cells (a field outside the grids has no row).
    return problem || (row ? checks.reduce((found, check) => found || check(input, row, context) || "", "") : "");
  };

  const checkRow = (row, typing, unit) => {
    const context = { blankRow: isBlankRow(row), typing, unit };
    for (const input of cellsOf(row).filter(isText)) {
      flag(input, problemOf(input, row, context));
    }
  };

  // The server's message at a cell was about what is being changed now.
  const dropServerErrors = (input) => input.closest("td, p, .field")?.querySelector("ul.errors")?.remove();

  // --- One grid ---------------------------------------------------------------------------------------------

  const setUpGrid = (form, element, touched, edits) => {
    const body = element.querySelector(".js-rows");
    if (!body) {
      return null;
    }
    const template = element.querySelector("template.js-empty-row");
    const prefix = element.dataset.prefix;
    const total = element.querySelector(".js-total-forms") || element.querySelector(`[name="${prefix}-TOTAL_FORMS"]`);
    const limit = element.dataset.maxRows || element.querySelector(`[name="${prefix}-MAX_NUM_FORMS"]`)?.value;
    const maxRows = Number(limit || Infinity);
    const add = element.querySelector(".js-add-row");
    const rows = () => Array.from(body.children).filter((child) => child.matches(".js-row"));

    const renumber = (serials = true) => {
      rows().forEach((row, index) => {
        const serial = serials && row.querySelector(".js-serial");
        if (serial) {
          // Only its text: a serial cell may also hold the row's hidden id.
          const text = Array.from(serial.childNodes).find((node) => node.nodeType === Node.TEXT_NODE);
          if (text) {
            text.data = String(index + 1);
          } else {
            serial.prepend(String(index + 1));
          }
        }
        const order = row.querySelector('input[name$="-ORDER"]');
        if (order) {
          order.value = String(index + 1);
        }
      });
    };

    const markRemoved = (row) => {
      const mark = row.querySelector('input.js-delete, input[type=checkbox][name$="-DELETE"]');
      if (mark) {
        row.classList.toggle("removed", mark.checked);
      }
    };

    const wire = (row) => {
      row.querySelector(".js-delete-row")?.removeAttribute("hidden");
      row.querySelector(".js-move")?.removeAttribute("hidden");
      markRemoved(row);
    };

    // Recount: the rows' checks (``only``: one row, as it is typed; ``final``: before a save, every row is told
    // what it lacks), the row and column totals, then the page's own.
    const update = ({ only = null, final = false } = {}) => {
      const unit = unitOf(form);
      const focused = document.activeElement;
      for (const row of only ? [only] : rows()) {
        checkRow(row, !final && row.contains(focused), unit);
      }
      const sums = new Map();
      const micros = (input) => (input ? N.amountMicros(input.value, unit) ?? 0n : 0n);
      for (const row of rows()) {
        if (row.classList.contains("removed")) {
          continue;
        }
        for (const input of row.querySelectorAll('.cell[data-kind="amount"]')) {
          sums.set(input.dataset.col, (sums.get(input.dataset.col) || 0n) + micros(input));
        }
        for (const output of row.querySelectorAll(".js-row-total[data-sum]")) {
          const columns = output.dataset.sum.split(/\s+/);
          output.textContent = N.printed(columns.reduce((sum, column) => sum + micros(cellOf(row, column)), 0n));
        }
      }
      for (const output of element.querySelectorAll(".js-total[data-sum]")) {
        const columns = output.dataset.sum.split(/\s+/);
        output.textContent = N.printed(columns.reduce((sum, column) => sum + (sums.get(column) || 0n), 0n));
      }
      updates.forEach((hook) => hook(form));
    };

    const addRow = () => {
      if (!template || !total) {
        return null;
      }
      if (rows().length >= maxRows) {
        const several = form.querySelectorAll(".js-grid").length > 1;
        window.alert(`${several ? "每张表" : ""}最多 ${maxRows} 行。`);
        return null;
      }
      const index = Number(total.value);
      // Parsed inside a table, so that a tr or tbody stays one.
      const holder = document.createElement("table");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      const row = holder.querySelector(".js-row");
      // A new row may start like the one above (the same unit, kind and source: the usual way of filling a budget).
      const above = shownRows().at(-1) || rows().at(-1); // a filter hides rows: like the last one seen
      for (const input of above ? row.querySelectorAll(".cell[data-repeat]") : []) {
        const model = cellOf(above, input.dataset.col);
        if (model && input.type === "checkbox") {
          input.checked = model.checked;
        } else if (model) {
          input.value = model.value;
        }
      }
      body.append(row);
      total.value = String(index + 1);
      wire(row);
      renumber();
      rowHooks.forEach((hook) => hook(row, grid));
      return row;
    };

    const focusIn = (row, column) => {
      const first = row.querySelector(".cell, input:not([type=hidden]), select, textarea");
      const target = (column !== undefined && cellOf(row, column)) || first;
      target?.focus();
      target?.select?.();
    };

    if (add && template && total) {
      add.hidden = false;
      add.addEventListener("click", () => {
        const row = addRow();
        if (row) {
          focusIn(row, element.dataset.focus);
        }
      });
    }

    body.addEventListener("click", (event) => {
      const button = event.target.closest(".js-delete-row, .js-up, .js-down");
      const row = button?.closest(".js-row");
      if (!row) {
        return;
      }
      const [before, after] = [row.previousElementSibling, row.nextElementSibling];
      if (button.matches(".js-delete-row")) {
        edits.removed(row);
        clearRange(); // the block is held by row positions
        row.remove();
        (after || before)?.querySelector(".cell")?.focus();
      } else if (button.matches(".js-up") && before?.matches(".js-row")) {
        body.insertBefore(row, before);
        button.focus();
      } else if (button.matches(".js-down") && after?.matches(".js-row")) {
        body.insertBefore(after, row);
        button.focus();
      } else {
        return;
      }
      renumber();
      update();
      touched();
    });

    const changed = (event) => {
      const input = event.target;
      const row = input.closest(".js-row");
      if (!row) {
        return;
      }
      clearRange(); // typing ends a selection: a later Delete is the cell's own
      dropServerErrors(input);
      if (input.classList.contains("assumed")) {
        input.classList.remove("assumed");
        input.removeAttribute("title");
      }
      // The spare row for a new entry prints only once something is typed in it.
      row.classList.remove("blank-row");
      if (input.matches('.cell[data-kind="code"]')) {
        // A datalist pick is cut to its code at once; typing is, when the cell is left.
        settleCode(input, event.type === "change" || event.inputType === "insertReplacementText");
      }
      if (input.matches('input.js-delete, [name$="-DELETE"]')) {
        markRemoved(row);
      }
      update({ only: row });
    };
    body.addEventListener("input", changed);
    body.addEventListener("change", changed);

    // What a row still lacks is told when the focus leaves it.
    body.addEventListener("focusout", (event) => {
      const row = event.target.closest(".js-row");
      if (row && !row.contains(event.relatedTarget)) {
        checkRow(row, false, unitOf(form));
        updates.forEach((hook) => hook(form)); // the count of what is wrong, among them
      }
    });

    // --- Moving and selecting as in a spreadsheet ---------------------------------------------------------
    // The rows shown (a filter hides some), and a cell by its place among them.
    const shownRows = () => rows().filter((row) => !row.classList.contains("filtered-out"));
    const placeOf = (input) => {
      const row = input.closest(".js-row");
      return [shownRows().indexOf(row), cellsOf(row).indexOf(input)];
    };
    const cellAt = (rowIndex, columnIndex) => {
      const row = shownRows()[rowIndex];
      const cells = row ? cellsOf(row) : [];
      return cells.length ? cells[Math.max(0, Math.min(columnIndex, cells.length - 1))] : null;
    };

    // Whether an arrow key leaves the cell: a text cell keeps the keys its caret needs (inside its text; up and
    // down while a list's suggestions follow what is typed), a select or a checkbox never does.
    const leaves = (input, key, shift) => {
      if (input.matches("textarea")) {
        return false;
      }
      if (!isText(input) || (shift && !edits.typedIn(input))) {
        return true; // Shift+arrows select a block of cells, unless the text is being edited
      }
      if (key === "ArrowUp" || key === "ArrowDown") {
        return !(input.list && edits.typedIn(input));
      }
      const [start, end, length] = [input.selectionStart, input.selectionEnd, input.value.length];
      if (start === null || (start === 0 && end === length)) {
        return true; // nothing typed into it yet: the whole value is selected
      }
      return key === "ArrowLeft" ? start === 0 && end === 0 : start === length && end === length;
    };

    // A block of cells (Shift+arrows, Shift+click): copied out as Excel copies, cleared with Delete.
    let anchor = null;
    let extent = null;
    const rangeCells = () => {
      if (!anchor || !extent) {
        return [];
      }
      const [top, bottom] = [Math.min(anchor[0], extent[0]), Math.max(anchor[0], extent[0])];
      const [left, right] = [Math.min(anchor[1], extent[1]), Math.max(anchor[1], extent[1])];
      const block = [];
      for (let r = top; r <= bottom; r += 1) {
        const cells = cellsOf(shownRows()[r]);
        block.push(cells.slice(left, right + 1));
      }
      return block;
    };
    const paintRange = () => {
      element.querySelectorAll(".in-range").forEach((cell) => cell.classList.remove("in-range"));
      const block = rangeCells();
      if (block.length * (block[0]?.length || 0) > 1) {
        block.flat().forEach((input) => input.closest("td")?.classList.add("in-range"));
      }
    };
    const clearRange = () => {
      anchor = extent = null;
      paintRange();
    };
    const extendTo = (input) => {
      anchor = anchor || placeOf(document.activeElement?.closest?.(".js-row") ? document.activeElement : input);
      extent = placeOf(input);
      paintRange();
    };
    body.addEventListener("focusin", (event) => {
      const cell = event.target.closest(".cell");
      if (cell && extent && placeOf(cell).join() !== extent.join()) {
        clearRange(); // Tab or a click elsewhere: the block is left
      }
    });

    body.addEventListener("mousedown", (event) => {
      const input = event.target.closest(".cell");
      if (!input) {
        return;
      }
      if (event.shiftKey && document.activeElement?.matches?.(".cell") && body.contains(document.activeElement)) {
        event.preventDefault();
        extendTo(input);
      } else {
        clearRange();
      }
    });

    const ARROWS = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    body.addEventListener("keydown", (event) => {
      const input = event.target;
      if (event.isComposing || !input.matches(".cell")) {
        return;
      }
      const control = event.ctrlKey || event.metaKey;
      if (event.key === "Enter" && !input.matches("textarea")) {
        event.preventDefault(); // never saves the page by accident
        if (input.matches('[data-kind="code"]')) {
          settleCode(input);
        }
        clearRange();
        const row = input.closest(".js-row");
        const index = shownRows().indexOf(row);
        let next = shownRows()[event.shiftKey ? index - 1 : index + 1];
        if (!next && !event.shiftKey && add && !add.hidden) {
          next = addRow();
        }
        if (next) {
          focusIn(next, columnOf(input));
        }
      } else if (ARROWS[event.key] && !control && !event.altKey && leaves(input, event.key, event.shiftKey)) {
        const [rowIndex, columnIndex] = placeOf(input);
        const [down, right] = ARROWS[event.key];
        const target = cellAt(rowIndex + down, columnIndex + right);
        event.preventDefault();
        if (!target || target === input) {
          return;
        }
        if (input.matches('[data-kind="code"]')) {
          settleCode(input);
        }
        if (event.shiftKey) {
          extendTo(target);
        } else {
          clearRange();
        }
        target.focus();
        target.select?.();
      } else if (control && event.key.toLowerCase() === "d") {
        event.preventDefault();
        fillDown(input);
      } else if ((event.key === "Delete" || event.key === "Backspace") && rangeCells().flat().length > 1) {
        event.preventDefault();
        const block = rangeCells().flat();
        edits.record(block, () => block.forEach((cell) => setValueOf(cell, cell.type === "checkbox" ? false : "")));
        refreshAfter(block);
      } else if (event.key === "Escape") {
        clearRange();
      }
    });

    // Ctrl+D: each cell of the block (or the focused cell) takes the value of the cell at the top of its column
    // (for a single cell: the one above it).
    const fillDown = (input) => {
      let block = rangeCells();
      if (block.flat().length <= 1) {
        const [rowIndex, columnIndex] = placeOf(input);
        const above = cellAt(rowIndex - 1, columnIndex);
        block = above ? [[above], [input]] : [];
      }
      if (block.length < 2) {
        return;
      }
      const [top, ...below] = block;
      const targets = below.flat();
      edits.record(targets, () =>
        below.forEach((cells) => cells.forEach((cell, column) => top[column] && setValueOf(cell, valueOf(top[column])))),
      );
      refreshAfter(targets);
    };

    // After cells were set from here (not typed): their code names, their rows' checks, the totals.
    const refreshAfter = (cells) => {
      for (const cell of cells) {
        dropServerErrors(cell);
        cell.closest(".js-row")?.classList.remove("blank-row");
        if (cell.dataset.kind === "code") {
          settleCode(cell);
        }
      }
      touched();
      update();
    };

    // Copying a block out: tab-separated rows, as Excel pastes them (and as a paste here reads them).
    document.addEventListener("copy", (event) => {
      const block = rangeCells();
      if (block.flat().length <= 1 || !body.contains(document.activeElement)) {
        return;
      }
      event.preventDefault();
      event.clipboardData.setData("text/plain", block.map((cells) => cells.map(copiedText).join("\t")).join("\r\n"));
    });

    // A block of cells from Excel, from the cell it is pasted into on; rows are added as needed.
    const paste = (start, text) => {
      const startRow = start.closest(".js-row");
      const columns = element.dataset.columns
        ? element.dataset.columns.split(/\s+/)
        : cellsOf(startRow).map((input, index) => input.dataset.col ?? index);
      const first = columns.indexOf(columnOf(start));
      if (first < 0) {
        return false;
      }
      let row = startRow;
      let assumed = 0;
      edits.begin("粘贴");
      for (const [number, values] of N.splitBlock(text).entries()) {
        if (number > 0) {
          const existing = shownRows()[shownRows().indexOf(row) + 1]; // never a row the filter hides
          row = existing || (add && !add.hidden ? addRow() : null);
          if (!row) {
            break;
          }
          if (!existing) {
            // A new row starts like the one above (data-repeat): where the block leaves such a cell out, say so.
            const filled = new Set(columns.slice(first, first + values.length).map(String));
            for (const cell of row.querySelectorAll(".cell[data-repeat]")) {
              if (!filled.has(String(cell.dataset.col))) {
                cell.classList.add("assumed");
                cell.title = "粘贴时取自上一行，请核对";
                assumed += 1;
              }
            }
          }
        }
        values.forEach((value, offset) => {
          const input = first + offset < columns.length ? cellOf(row, columns[first + offset]) : null;
          if (!input) {
            return;
          }
          edits.note(input);
          if (input.type === "checkbox") {
            input.checked = isTrue(value, input.getAttribute("aria-label") || "");
          } else if (input.tagName === "SELECT") {
            const word = N.strip(value);
            const option = Array.from(input.options).find((o) => o.value === word || o.text.trim() === word);
            if (option) {
              input.value = option.value;
            }
          } else {
            input.value = N.strip(value);
            if (input.dataset.kind === "code") {
              settleCode(input);
            }
          }
          dropServerErrors(input);
          row.classList.remove("blank-row");
        });
      }
      edits.end();
      touched();
      update();
      if (assumed) {
        say(`粘贴新增的行中有 ${assumed} 格（单位、支出类型等）未在粘贴内容中，已取自上一行并标黄，请核对。`);
      }
      return true;
    };

    // The grid's own line of news (what a paste assumed), beside the form's status.
    const say = (text) => {
      let line = element.querySelector(".js-grid-news");
      if (!line) {
        line = document.createElement("p");
        line.className = "grid-news js-grid-news no-print";
        line.setAttribute("role", "status");
        body.closest("table")?.before(line);
      }
      line.textContent = text;
    };

    // --- Finding rows: a search over every cell's text, and a filter by one column (a unit) ----------------
    const search = element.querySelector("input.js-grid-search") || form.querySelector("input.js-grid-search");
    const filter = element.querySelector("select.js-grid-filter") || form.querySelector("select.js-grid-filter");
    const shownCount = element.querySelector(".js-grid-count") || form.querySelector(".js-grid-count");
    const rowText = (row) =>
      [
        ...cellsOf(row).map(copiedText),
        ...Array.from(row.querySelectorAll(".code-name"), (name) => name.textContent),
      ].join(" ");
    const applyFilter = () => {
      const words = N.strip(search?.value || "").split(/\s+/).filter(Boolean);
      const wanted = filter?.value || "";
      for (const row of rows()) {
        const text = rowText(row);
        const matches =
          words.every((word) => text.includes(word)) &&
          (!wanted || cellOf(row, filter.dataset.col)?.value === wanted);
        row.classList.toggle("filtered-out", !matches);
      }
      if (shownCount) {
        const [shown, all] = [shownRows().length, rows().length];
        shownCount.textContent = shown === all ? `共 ${all} 行` : `显示 ${shown} / ${all} 行（合计仍为全部行）`;
      }
      clearRange();
    };
    search?.addEventListener("input", applyFilter);
    filter?.addEventListener("change", applyFilter);
    // Enter in the search box is not a save.
    search?.addEventListener("keydown", (event) => event.key === "Enter" && event.preventDefault());

    rows().forEach(wire);
    renumber(false); // the server's serials are right; an order field follows the rows as shown
    if (search || filter) {
      applyFilter();
    }
    const grid = { element, form, rows, cell: cellOf, addRow, update, paste, renumber };
    grids.set(element, grid);
    return grid;
  };

  // --- The last edits of a form, undone with Ctrl+Z, redone with Ctrl+Y ---------------------------------------
  // A group is the cells set at once (a paste, Ctrl+D, a block cleared, one cell typed in) or a row taken off.
  // Typing inside a cell not yet left is the browser's own undo.
  const editHistory = () => {
    const done = [];
    const undone = [];
    let open = null;
    let focused = null;
    let focusValue = null;
    const push = (group) => {
      done.push(group);
      undone.length = 0;
      if (done.length > 200) {
        done.shift();
      }
    };
    const api = {
      begin(label) {
        open = { label, cells: new Map() };
      },
      note(input) {
        if (open && !open.cells.has(input)) {
          open.cells.set(input, valueOf(input));
        }
      },
      end() {
        const group = open;
        open = null;
        const cells = Array.from(group.cells, ([input, before]) => ({ input, before, after: valueOf(input) }));
        const changed = cells.filter((cell) => cell.before !== cell.after);
        if (changed.length) {
          push({ label: group.label, cells: changed });
        }
        focusValue = focused ? valueOf(focused) : null; // set from here, not typed
      },
      record(cells, change, label = "修改") {
        api.begin(label);
        cells.forEach(api.note);
        change();
        api.end();
      },
      removed(row) {
        push({ label: "删除行", row, parent: row.parentNode, next: row.nextElementSibling });
      },
      focus(input) {
        focused = input;
        focusValue = valueOf(input);
      },
      changed(input) {
        if (input === focused && valueOf(input) !== focusValue) {
          push({ label: "输入", cells: [{ input, before: focusValue, after: valueOf(input) }] });
          focusValue = valueOf(input);
        }
      },
      typedIn: (input) => input === focused && valueOf(input) !== focusValue,
      get current() {
        return focused?.isConnected ? focused : null;
      },
      // Undo (``back``) or redo the last group; the group, or null when there is none.
      step(back) {
        const group = (back ? done : undone).pop();
        if (!group) {
          return null;
        }
        if (group.row) {
          if (back) {
            const next = group.next?.parentNode === group.parent ? group.next : null;
            group.parent.insertBefore(group.row, next);
          } else {
            group.row.remove();
          }
        } else {
          group.cells.forEach((cell) => setValueOf(cell.input, back ? cell.before : cell.after));
        }
        (back ? undone : done).push(group);
        focusValue = focused ? valueOf(focused) : null;
        return group;
      },
      get size() {
        return done.length;
      },
      clear() {
        done.length = 0;
        undone.length = 0;
      },
      get last() {
        return done.at(-1)?.label || "";
      },
    };
    return api;
  };

  // --- One form ---------------------------------------------------------------------------------------------

  const setUpForm = (form) => {
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
    // Fields may sit outside the form's element and belong to it by their form="…" attribute (the budget page's
    // warning explanations belong to its workflow form): listen where both kinds arrive.
    // (Fields without a name, such as the grid's search box, are not posted: they change nothing to save.)
    const own = (event) => Boolean(event.target.name) && (event.target.form === form || form.contains(event.target));
    for (const type of ["input", "change"]) {
      document.addEventListener(type, (event) => own(event) && touched());
    }

    const edits = editHistory();
    const elements = form.matches(".js-grid") ? [form] : Array.from(form.querySelectorAll(".js-grid"));
    const formGrids = elements.map((element) => setUpGrid(form, element, touched, edits)).filter(Boolean);
    const updateAll = (final = false) => {
      formGrids.forEach((grid) => grid.update({ final }));
      recount();
    };

    // A cell's typed change is one edit, once it is made (a text cell left, a select or a checkbox changed).
    form.addEventListener("focusin", (event) => event.target.matches(".cell") && edits.focus(event.target));
    form.addEventListener("change", (event) => event.target.matches(".cell") && edits.changed(event.target));

    // The save bar: what is wrong, counted as it is typed, with a way to each one; and 撤销.
    const actions = formGrids.length ? form.querySelector(".form-actions") : null;
    let problems = null;
    let undoButton = null;
    if (actions) {
      actions.classList.add("sticky-actions");
      undoButton = document.createElement("button");
      undoButton.type = "button";
      undoButton.className = "secondary js-undo";
      undoButton.textContent = "撤销";
      undoButton.disabled = true;
      problems = document.createElement("span");
      problems.className = "problems js-problems";
      problems.hidden = true;
      problems.setAttribute("role", "status");
      problems.append(document.createElement("span"));
      const next = document.createElement("button");
      next.type = "button";
      next.className = "secondary js-next-problem";
      next.textContent = "下一处错误";
      problems.append(next);
      actions.append(undoButton, problems);
    }
    // The cells that say something is wrong: marked here, or under the server's message.
    const problemCells = () => {
      const found = new Set(form.querySelectorAll(".js-row .invalid"));
      for (const list of form.querySelectorAll(".js-row ul.errors")) {
        const cell = list.closest("td, th")?.querySelector(".cell") || list.closest(".js-row")?.querySelector(".cell");
        if (cell) {
          found.add(cell);
        }
      }
      return Array.from(found).sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    };
    const recount = () => {
      if (undoButton) {
        undoButton.disabled = edits.size === 0;
        undoButton.title = edits.size ? `撤销：${edits.last}（Ctrl+Z）` : "没有可撤销的修改";
      }
      if (!problems) {
        return;
      }
      const count = problemCells().length;
      problems.hidden = count === 0;
      problems.firstChild.textContent = `有 ${count} 处需要修改 `;
    };
    const goToNextProblem = () => {
      const cells = problemCells();
      const here = edits.current; // the cell last in focus (the button has it now)
      const after = cells.find((cell) => here && here.compareDocumentPosition(cell) & Node.DOCUMENT_POSITION_FOLLOWING);
      const target = after || cells[0];
      if (target) {
        target.closest(".js-row")?.classList.remove("filtered-out");
        target.scrollIntoView({ block: "center" });
        target.focus();
      }
    };
    problems?.querySelector(".js-next-problem").addEventListener("click", goToNextProblem);
    updates.push((updated) => updated === form && recount());

    const undo = (back) => {
      const group = edits.step(back);
      if (!group) {
        return;
      }
      const cells = group.cells ? group.cells.map((cell) => cell.input) : [];
      for (const cell of cells) {
        dropServerErrors(cell);
        if (cell.dataset.kind === "code") {
          settleCode(cell);
        }
      }
      formGrids.forEach((grid) => grid.renumber());
      touched();
      updateAll();
      (cells[0] || group.row?.querySelector(".cell"))?.focus();
    };
    undoButton?.addEventListener("click", () => undo(true));
    form.addEventListener("keydown", (event) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) {
        return;
      }
      const key = event.key.toLowerCase();
      const redo = key === "y" || (key === "z" && event.shiftKey);
      if (key !== "z" && key !== "y") {
        return;
      }
      const input = event.target;
      if (input.matches?.("input, textarea, select") && (!input.matches(".cell") || edits.typedIn(input))) {
        return; // a field of its own (a comment, the search box), or a cell still being typed in: the browser's undo
      }
      event.preventDefault();
      undo(!redo);
    });

    // Fields outside the grids (the assets' 截止日期) are checked as they are typed.
    const loose = () => Array.from(form.querySelectorAll("input[data-kind]:not(.cell)"));
    const checkLoose = (input) => flag(input, problemOf(input, null, { unit: unitOf(form) }));
    form.addEventListener("input", (event) => {
      if (event.target.matches("input[data-kind]:not(.cell)")) {
        dropServerErrors(event.target);
        checkLoose(event.target);
      }
    });

    // A save is held back while a cell says what is wrong: the server would refuse it, in the same words.
    const status = form.querySelector(".js-status");
    form.addEventListener("submit", (event) => {
      updateAll(true);
      loose().forEach(checkLoose);
      const invalid = form.querySelectorAll("input.invalid, textarea.invalid");
      if (invalid.length) {
        event.preventDefault();
        if (status) {
          status.hidden = false;
          status.textContent = `有 ${invalid.length} 处需要修改（标红处），尚未保存。`;
        }
        invalid[0].focus();
        return;
      }
      dirty = false;
    });

    // The characters counted as the server counts them.
    for (const area of form.querySelectorAll("textarea.js-count")) {
      const described = document.getElementById((area.getAttribute("aria-describedby") || "").split(/\s+/)[0]);
      const output = described?.querySelector(".js-count-output") || form.querySelector(".js-count-output");
      const max = Number(area.dataset.max || 0);
      const show = () => {
        const length = textLength(area.value);
        output.textContent = String(length);
        output.classList.toggle("over", max > 0 && length > max);
      };
      if (output) {
        area.addEventListener("input", show);
        show();
      }
    }

    // 万元 / 元 in place: every amount rewritten exactly, nothing lost; the link without JavaScript reloads.
    const unitInput = form.querySelector("input.js-unit[type=hidden]");
    const toggle = document.querySelector("a.js-unit-toggle");
    if (unitInput && toggle) {
      toggle.addEventListener("click", (event) => {
        event.preventDefault();
        const from = unitOf(form);
        const to = toggle.dataset.unit;
        for (const input of form.querySelectorAll('.cell[data-kind="amount"]')) {
          input.value = N.shifted(input.value, to === N.YUAN, from);
        }
        unitInput.value = to;
        edits.clear(); // what it remembers was typed in the other unit
        form.dataset.unit = to;
        if (form.dataset.places) {
          form.dataset.places = String(N.PLACES[to]);
        }
        toggle.dataset.unit = from;
        toggle.textContent = `改用${from}`;
        toggle.search = `?unit=${encodeURIComponent(from)}`;
        for (const label of document.querySelectorAll(".js-unit-label")) {
          label.textContent = to;
        }
        updateAll();
      });
    }

    updateAll();
    return { form, updateAll };
  };

  const forms = Array.from(document.querySelectorAll("form.js-grid-form"), setUpForm);
  const refresh = () => forms.forEach((form) => form.updateAll());

  // A block pasted into a focused select or checkbox arrives at the body (they hold no cursor): listen on the page.
  document.addEventListener("paste", (event) => {
    const text = (event.clipboardData || window.clipboardData)?.getData("text") || "";
    if (!N.isBlock(text)) {
      return; // one value: the browser pastes it as usual
    }
    const focused = document.activeElement;
    const start = event.target.closest?.(".cell") || (focused?.matches?.(".cell") ? focused : null);
    const grid = start?.closest(".js-row") && grids.get(start.closest(".js-grid"));
    if (grid && grid.paste(start, text)) {
      event.preventDefault();
    }
  });

  globalThis.BudgetGrid = Object.freeze({
    of: (element) => grids.get(element?.closest(".js-grid")) || null,
    check(fn) {
      checks.push(fn);
      refresh();
    },
    onUpdate(fn) {
      updates.push(fn);
      forms.forEach(({ form }) => fn(form));
    },
    onRow(fn) {
      rowHooks.push(fn);
      grids.forEach((grid) => grid.rows().forEach((row) => fn(row, grid)));
    },
    codes: (listId) => listOf(listId, true),
    unit: unitOf,
  });
})();
