// 打印: a [data-print] button (hidden without JavaScript) prints the page; the print style sheet leaves out
// everything but the tables.
"use strict";

for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
