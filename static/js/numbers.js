// The one number core of the entry pages: what a typed amount, quantity, date or code reads as, exactly as the
// server reads it (entry.fields: parse_amount behind AmountField, parse_quantity, parse_as_of, code_of) and with
// the server's own words when it does not; totals printed as the server prints them (printed_total); the 万元/元
// switch without losing a fen (typed_amount); a block pasted from Excel split into rows and cells.
//
// Amounts are BigInt millionths of the unit they are typed in, never floating point: 0.000001 万元 is one fen,
// and a sum of thousands of rows stays exact. Loaded before grid.js (window.BudgetNumbers) and by the node tests
// (module.exports), which hold every reader to the server's on the same inputs.
"use strict";

(() => {
  const WAN = "万元";
  const YUAN = "元";
  const SCALE = 6; // millionths
  const ONE = 10n ** BigInt(SCALE);
  const PLACES = { [WAN]: 6, [YUAN]: 2 }; // entry.fields.PLACES
  const MAX_YUAN = 10n ** 14n; // domain.ledger.MAX_AMOUNT
  const MAX_QUANTITY = 10n ** 10n; // entry.fields.MAX_QUANTITY (ProcurementItem.quantity: 12 digits, 2 places)
  // Python's default decimal context: a quantize whose result needs more digits is InvalidOperation there, which
  // AmountField words as AMOUNT_INVALID. Only absurdly long numbers get that far.
  const PRECISION = 28;

  // The server's words (entry.fields and domain.ledger), compared with them by the node tests.
  const MESSAGES = Object.freeze({
    amountRequired: "请填写金额。",
    amountNotANumber: "金额只能填数字（{unit}），如 12.50。",
    amountNegative: "金额不能为负数。",
    amountPlaces: "金额最多保留 {places} 位小数（{unit}；{exact}）。",
    amountTooLarge: "金额过大。",
    amountInvalid: "金额无效。",
    quantityInvalid: "数量只能填不为负的数字，最多保留 2 位小数，如 5 或 5.2。",
    quantityTooLarge: "数量过大。",
    asOfInvalid: "截止日期请按“2020-12-31”的格式填写，或留空（即上年12月31日）。",
  });
  const EXACT = { [WAN]: "0.000001 万元即 1 分", [YUAN]: "元以下到分" };

  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (whole, name) => values[name] ?? whole);

  // --- Text as the server cleans it -------------------------------------------------------------------------

  // What Python's str.strip() removes (JavaScript's trim() differs: it strips U+FEFF and keeps U+001C–U+001F).
  const SPACE = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  const STRIP = new RegExp(`^${SPACE}+|${SPACE}+$`, "g");
  const STRIP_END = new RegExp(`${SPACE}+$`);
  const strip = (text) => String(text ?? "").replace(STRIP, "");
  const stripEnd = (text) => String(text ?? "").replace(STRIP_END, "");

  // Full-width digits, point, comma and minus, as input methods type them (entry.fields._FULL_WIDTH).
  const FULL_WIDTH = /[０-９．，－]/g;
  const halfWidth = (text) => String(text).replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

  // --- Exact decimals ---------------------------------------------------------------------------------------

  const pow10 = (n) => 10n ** BigInt(n);
  const LIMIT = 10 ** 9; // exponents beyond this mean "far too large" or "far too small" alike

  // "-12.50", "1e3" → { negative, coefficient: 1250n, exponent: -2 } (the value is ±coefficient × 10^exponent);
  // null for what is not a plain decimal. ASCII only: callers translate full width and drop grouping first.
  const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
  const decimal = (text) => {
    const match = DECIMAL.exec(text);
    if (!match || (!match[2] && !match[3])) {
      return null;
    }
    const [, sign, whole = "", fraction = "", power] = match;
    const exponent = Math.max(-LIMIT, Math.min(LIMIT, Number(power || 0))) - fraction.length;
    return { negative: sign === "-", coefficient: BigInt(`${whole}${fraction}` || "0"), exponent };
  };

  // |value| × 10^places rounded half-up (ROUND_HALF_UP: a tie away from zero), and whether that was exact.
  const atPlaces = ({ coefficient, exponent }, places) => {
    const shift = exponent + places;
    if (shift >= 0) {
      return { value: shift > LIMIT / 1000 ? null : coefficient * pow10(shift), exact: true };
    }
    if (-shift > coefficient.toString().length + 1) {
      return { value: 0n, exact: coefficient === 0n }; // far below one unit of the last place
    }
    const divisor = pow10(-shift);
    const rest = coefficient % divisor;
    return { value: coefficient / divisor + (rest * 2n >= divisor ? 1n : 0n), exact: rest === 0n };
  };

  // --- Amounts ----------------------------------------------------------------------------------------------

  const AMOUNT = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/; // entry.fields._NUMBER
  const GROUPED = /^-?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/; // entry.fields._GROUPED
  const unitOf = (unit) => (unit === YUAN ? YUAN : WAN); // entry.fields.display_unit

  // A typed amount as AmountField reads it in ``unit``: { micros } (millionths of that unit), or { problem } in
  // the server's words. A blank cell is { blank: true, micros: 0n }: whether it may be blank is the cell's to say.
  const readAmount = (text, unit = WAN) => {
    unit = unitOf(unit);
    let clean = halfWidth(strip(text)).replace(/ /g, "");
    if (!clean) {
      return { blank: true, micros: 0n, problem: "" };
    }
    if (GROUPED.test(clean)) {
      clean = clean.replace(/,/g, "");
    }
    const refuse = (problem) => ({ micros: null, problem });
    if (!AMOUNT.test(clean)) {
      return refuse(fill(MESSAGES.amountNotANumber, { unit }));
    }
    const number = decimal(clean);
    if (number.negative && number.coefficient !== 0n) {
      return refuse(MESSAGES.amountNegative); // "-0" is 0 to the server, as to anyone
    }
    const places = PLACES[unit];
    const { value, exact } = atPlaces(number, places);
    if (value === null || value.toString().length > PRECISION) {
      return refuse(MESSAGES.amountInvalid);
    }
    if (!exact) {
      return refuse(fill(MESSAGES.amountPlaces, { places, unit, exact: EXACT[unit] }));
    }
    const micros = value * pow10(SCALE - places);
    const limit = (unit === YUAN ? MAX_YUAN : MAX_YUAN / 10000n) * ONE;
    return micros >= limit ? refuse(MESSAGES.amountTooLarge) : { micros, problem: "" };
  };

  // The millionths of what reads (blank is 0n), null for what does not: how a total counts a cell, as the
  // server's read_amount does (a cell that does not read counts as nothing; the cell says why).
  const amountMicros = (text, unit = WAN) => readAmount(text, unit).micros;
  const amountProblem = (text, unit = WAN) => readAmount(text, unit).problem;

  // --- Quantities, dates, codes -----------------------------------------------------------------------------

  // entry.fields.parse_quantity: blank is zero, else read as an amount in 元 (two places), with its own words.
  const readQuantity = (text) => {
    if (!strip(text)) {
      return { blank: true, micros: 0n, problem: "" };
    }
    const { micros } = readAmount(text, YUAN);
    if (micros === null) {
      return { micros: null, problem: MESSAGES.quantityInvalid };
    }
    if (micros >= MAX_QUANTITY * ONE) {
      return { micros: null, problem: MESSAGES.quantityTooLarge };
    }
    return { micros, problem: "" };
  };
  const quantityProblem = (text) => readQuantity(text).problem;

  // entry.fields.parse_as_of: 2020-12-31, 2020/12/31, 2020.12.31 or 2020年12月31日; blank is none.
  const DATE = new RegExp(`^(\\d{4})${SPACE}*[-/.年]${SPACE}*(\\d{1,2})${SPACE}*[-/.月]${SPACE}*(\\d{1,2})${SPACE}*日?$`);
  const isLeap = (year) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  // { date: [year, month, day] } or { problem }; a blank is { blank: true, date: null }.
  const readAsOf = (text, message = MESSAGES.asOfInvalid) => {
    const clean = strip(text);
    if (!clean) {
      return { blank: true, date: null, problem: "" };
    }
    const match = DATE.exec(clean);
    const [year, month, day] = match ? match.slice(1).map(Number) : [0, 0, 0];
    const days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    // Python's date(): years 1 to 9999 (Date.UTC would take 0099 for 1999).
    const real = year >= 1 && days && day >= 1 && day <= days;
    return real ? { date: [year, month, day], problem: "" } : { date: null, problem: message };
  };
  const asOfProblem = (text, message = MESSAGES.asOfInvalid) => readAsOf(text, message).problem;

  // entry.fields.code_of: the code of "2070101" or of a datalist entry "2070101 行政运行"; null unless it is
  // ``width`` ASCII digits.
  const codeOf = (text, width) => {
    const token = halfWidth(strip(text)).split(" ", 1)[0].split("\u3000", 1)[0];
    return token.length === width && /^[0-9]+$/.test(token) ? token : null;
  };

  // --- Printing ---------------------------------------------------------------------------------------------

  // Millionths → two decimals, rounded half-up (domain.money), grouped by thousands: entry.fields.printed_total.
  const printed = (micros) => {
    const negative = micros < 0n;
    const cents = ((negative ? -micros : micros) + 5000n) / 10000n;
    const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return `${negative && cents ? "-" : ""}${whole}.${(cents % 100n).toString().padStart(2, "0")}`;
  };

  // Millionths → the exact decimal with at least two places, as entry.fields.typed_amount shows a stored amount.
  const typed = (micros) => {
    const fraction = (micros % ONE).toString().padStart(SCALE, "0").replace(/0+$/, "");
    return `${micros / ONE}.${fraction.padEnd(2, "0")}`;
  };

  // An amount typed in ``from`` as the same money in the other unit (万元 → 元 is ×10000), exactly; what does not
  // read in ``from`` (or is blank) stays as typed, for its cell to say why.
  const shifted = (text, toYuan, from = toYuan ? WAN : YUAN) => {
    const { micros, blank } = readAmount(text, from);
    if (micros === null || blank) {
      return text;
    }
    const fromYuan = unitOf(from) === YUAN;
    if (toYuan === fromYuan) {
      return typed(micros);
    }
    // In 元 at most two places are typed, so ÷10000 in 万元 millionths is always exact.
    return typed(toYuan ? micros * 10000n : micros / 10000n);
  };

  // A block copied from Excel: rows by line, cells by tab (the last line break is Excel's, not an empty row).
  const splitBlock = (text) =>
    String(text)
      .replace(/\r\n?/g, "\n")
      .replace(/\n$/, "")
      .split("\n")
      .map((line) => line.split("\t"));

  // More than one cell: a block to spread over the grid; one value is pasted by the browser as usual.
  const isBlock = (text) => /[\t\n]/.test(String(text).replace(/\r?\n$/, ""));

  const api = Object.freeze({
    WAN,
    YUAN,
    SCALE,
    PLACES,
    MESSAGES,
    strip,
    stripEnd,
    halfWidth,
    decimal,
    atPlaces,
    readAmount,
    amountMicros,
    amountProblem,
    readQuantity,
    quantityProblem,
    readAsOf,
    asOfProblem,
    codeOf,
    printed,
    typed,
    shifted,
    splitBlock,
    isBlock,
  });
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api; // the node tests
  } else {
    globalThis.BudgetNumbers = api;
  }
})();
