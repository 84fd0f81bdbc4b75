/* The visit form at the door (no inline script anywhere: the site runs under a strict CSP).
 * Everything here is an enhancement: without JavaScript the form posts and the server says
 * what to fix (it ignores an attitude when nobody was home, and asks to confirm an owner).
 * - Enter in a single-line field moves to the next field instead of saving a half-filled form.
 * - 态度 is disabled while 无人在家 is chosen: nobody said anything.
 * - After an HTMX swap, focus goes where the eye should: an opened form's first field, a saved
 *   row (scrolled into view), or the results of a filter. */
(function () {
  "use strict";
  const FORM = "form.visit-form";
  const FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button[type=submit]";

  function nextField(form, current) {
    const fields = Array.from(form.querySelectorAll(FIELDS));
    const index = fields.indexOf(current);
    return index >= 0 ? fields[index + 1] : null;
  }

  document.addEventListener("keydown", function (event) {
    const field = event.target;
    if (event.key !== "Enter" || event.isComposing || !field.closest || !field.closest(FORM)) return;
    if (field.tagName !== "INPUT" || ["submit", "button", "checkbox", "radio"].includes(field.type)) return;
    event.preventDefault();
    const next = nextField(field.form, field);
    if (next) next.focus();
  });

  function syncAttitude(form) {
    const nobody = form.querySelector("input[name=reached][value=nobody]");
    if (!nobody) return;
    form.querySelectorAll("input[name=attitude]").forEach(function (input) {
      input.disabled = nobody.checked;
      if (nobody.checked) input.checked = false;
    });
  }

  document.addEventListener("change", function (event) {
    const form = event.target.closest && event.target.closest(FORM);
    if (form && event.target.name === "reached") syncAttitude(form);
  });

  function settle(root) {
    root.querySelectorAll(FORM).forEach(syncAttitude);
  }

  document.addEventListener("DOMContentLoaded", function () { settle(document); });

  document.addEventListener("htmx:afterSettle", function (event) {
    const swapped = event.detail.elt;
    if (!swapped || !swapped.isConnected) return;
    settle(swapped);
    const saved = swapped.querySelector("[data-saved-focus]");
    const form = swapped.querySelector(FORM);
    const results = swapped.matches("[data-results]") ? swapped : swapped.querySelector("[data-results]");
    if (saved) {
      saved.focus();
      saved.scrollIntoView({ block: "center" });
    } else if (form) {
      const invalid = form.querySelector("[aria-invalid=true]");
      const first = invalid || form.querySelector(FIELDS);
      if (first) first.focus();
      form.scrollIntoView({ block: "start" });
    } else if (results) {
      results.focus();
    }
  });
})();
