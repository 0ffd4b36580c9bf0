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

  // A code cell keeps the code of a datalist pick and shows the code's name beside it.
  const settleCode = (input, cut = true) => {
    const code = N.codeOf(input.value, Number(input.dataset.width)) ?? N.halfWidth(N.strip(input.value));
    const names = input.list ? listOf(input.list.id, true) : new Map();
    if (cut && names.has(code) && input.value !== code) {
      input.value = code;
    }
    const label = input.parentElement.querySelector(".code-name");
    if (label) {
      label.textContent = names.get(code) || "";
    }
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

  const setUpGrid = (form, element, touched) => {
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
      const above = rows().at(-1);
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
      dropServerErrors(input);
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
      }
    });

    body.addEventListener("keydown", (event) => {
      const input = event.target;
      if (event.key !== "Enter" || event.isComposing || !input.matches(".cell") || input.matches("textarea")) {
        return;
      }
      event.preventDefault(); // never saves the page by accident
      if (input.matches('[data-kind="code"]')) {
        settleCode(input);
      }
      const row = input.closest(".js-row");
      const index = rows().indexOf(row);
      let next = rows()[event.shiftKey ? index - 1 : index + 1];
      if (!next && !event.shiftKey && add && !add.hidden) {
        next = addRow();
      }
      if (next) {
        focusIn(next, columnOf(input));
      }
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
      for (const [number, values] of N.splitBlock(text).entries()) {
        if (number > 0) {
          row = rows()[rows().indexOf(row) + 1] || (add && !add.hidden ? addRow() : null);
          if (!row) {
            break;
          }
        }
        values.forEach((value, offset) => {
          const input = first + offset < columns.length ? cellOf(row, columns[first + offset]) : null;
          if (!input) {
            return;
          }
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
      touched();
      update();
      return true;
    };

    rows().forEach(wire);
    renumber(false); // the server's serials are right; an order field follows the rows as shown
    const grid = { element, form, rows, cell: cellOf, addRow, update, paste };
    grids.set(element, grid);
    return grid;
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
    const own = (event) => event.target.form === form || form.contains(event.target);
    for (const type of ["input", "change"]) {
      document.addEventListener(type, (event) => own(event) && touched());
    }

    const elements = form.matches(".js-grid") ? [form] : Array.from(form.querySelectorAll(".js-grid"));
    const formGrids = elements.map((element) => setUpGrid(form, element, touched)).filter(Boolean);
    const updateAll = (final = false) => formGrids.forEach((grid) => grid.update({ final }));

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
