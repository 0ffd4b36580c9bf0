// Actions that cannot simply be taken back ask first: a submit button with data-confirm="question" goes ahead only
// when confirmed. data-needs="field" names a field of its form that the action requires (退回's 意见): an empty one
// is said at once and focused, instead of a refusal after the page has gone, with the text typed elsewhere lost.
(() => {
  "use strict";

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-confirm], button[data-needs]");
    if (!button || button.disabled) {
      return;
    }
    const needed = button.dataset.needs && button.form && button.form.elements.namedItem(button.dataset.needs);
    if (needed && !needed.value.trim()) {
      event.preventDefault();
      window.alert(button.dataset.needsMessage || "请先填写必填内容。");
      needed.focus();
      return;
    }
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
