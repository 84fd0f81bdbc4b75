/* Dashboard behaviour (no inline script anywhere: the site runs under a strict CSP).
 * [data-print] buttons stay hidden without JavaScript (the browser's own print works the same)
 * and print the page: the building grid prints one A4 page per unit. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
