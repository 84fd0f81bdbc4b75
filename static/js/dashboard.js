/* Dashboard behaviour (no inline script anywhere: the site runs under a strict CSP).
 * [data-print] buttons stay hidden without JavaScript (the browser's own print works the same)
 * and print the page: the building grid prints one A4 page per unit. After a building is
 * chosen, focus goes to the grid drawn anew (the links stay outside it), not to <body>. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    const swapped = event.detail.elt;
    if (swapped && swapped.isConnected && swapped.matches("[data-results]")) swapped.focus();
  });
})();
