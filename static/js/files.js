// File inputs in Chinese whatever the browser's language: the input stays (keyboard, drag and drop, required), its
// own button is hidden, a 「选择文件」 button opens it and the chosen file's name is shown beside it.
"use strict";

(() => {
  for (const input of document.querySelectorAll("input[type=file]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary file-choose";
    button.textContent = "选择文件";
    // For the mouse: the native input, still in the tab order and read by screen readers, is the control.
    button.tabIndex = -1;
    button.setAttribute("aria-hidden", "true");
    const name = document.createElement("span");
    name.className = "file-name";
    name.textContent = "未选择文件";
    input.classList.add("file-native");
    input.after(button, name);
    button.addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      name.textContent = input.files.length ? Array.from(input.files, (file) => file.name).join("、") : "未选择文件";
    });
  }
})();
