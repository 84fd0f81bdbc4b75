/* Copy buttons: <button data-copy="#id" hidden> copies the text of the element it names.
 * Hidden until this script runs: without JavaScript, people select the text themselves. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    const source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value || source.textContent).then(function () {
        button.textContent = button.getAttribute("data-copied") || "✓";
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
