/* Filter links (nav.filters a) look like buttons, so Space presses them as it presses a button;
 * Enter already follows a link. Without JavaScript they are plain links. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== " " || event.repeat || !event.target.closest) return;
    const link = event.target.closest("nav.filters a[href]");
    if (!link) return;
    event.preventDefault(); // not a page scroll
    link.click();
  });
})();
