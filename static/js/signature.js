/* Signature fields: sign on a canvas; a PNG data URL goes into the form's hidden input.
 * Markup (no inline script or style anywhere: the site runs under a strict CSP):
 *   <div class="signature-field" data-signature><canvas aria-label="…"></canvas>
 *     <input type="hidden" name="signature"><button type="button" data-signature-clear>…</button></div>
 * Load vendor/signature_pad-5.1.4.umd.min.js (the global SignaturePad) first, both with defer.
 * Without JavaScript the input stays empty and the server says so: nothing is half-signed. */
(function () {
  "use strict";
  if (typeof window.SignaturePad !== "function") return;
  const fields = new Set(); // every live field: {element, canvas, input, pad, width, height}

  function save(field) {
    field.input.value = field.pad.isEmpty() ? "" : field.pad.toDataURL("image/png");
  }

  function reset(field) {
    field.pad.clear();
    field.input.value = "";
  }

  // Give the canvas a bitmap of its CSS box × devicePixelRatio, so strokes are sharp and land
  // under the pen. A new bitmap is blank: redraw the strokes from their points.
  function fit(field) {
    const canvas = field.canvas;
    const width = canvas.offsetWidth;
    const height = canvas.offsetHeight;
    if (!width || !height || (width === field.width && height === field.height)) return;
    field.width = width;
    field.height = height;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const strokes = field.pad.toData();
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    field.pad.fromData(strokes); // clears to the white background first
    save(field);
  }

  function setUp(element) {
    if (element.hasAttribute("data-signature-ready")) return; // once per element
    const canvas = element.querySelector("canvas");
    const input = element.querySelector('input[name="signature"]');
    if (!canvas || !input) return;
    element.setAttribute("data-signature-ready", "");
    const pad = new window.SignaturePad(canvas, {
      backgroundColor: "rgb(255, 255, 255)",
      penColor: "#1a1a6e",
    });
    const field = { element, canvas, input, pad, width: 0, height: 0 };
    fields.add(field);
    reset(field); // a form re-rendered with errors starts with an empty pad and input
    fit(field);
    // A canvas that was hidden (closed <details>, display: none) gets its size on first touch;
    // the capture phase runs this before the pad starts the stroke.
    element.addEventListener("pointerdown", () => fit(field), true);
    pad.addEventListener("endStroke", () => save(field));
    const clear = element.querySelector("[data-signature-clear]");
    if (clear) clear.addEventListener("click", () => reset(field));
  }

  function setUpAll(root) {
    if (root.matches && root.matches("[data-signature]")) setUp(root);
    root.querySelectorAll("[data-signature]").forEach(setUp);
  }

  window.addEventListener("resize", () => {
    fields.forEach((field) => (field.element.isConnected ? fit(field) : fields.delete(field)));
  });
  // Back from the back/forward cache the page is as it was left: start the signature again.
  // On any other showing, don't let the browser restore a stale value beside an empty pad.
  window.addEventListener("pageshow", (event) => {
    fields.forEach((field) => (event.persisted || field.pad.isEmpty() ? reset(field) : null));
  });
  // HTMX swapped new content in (say, the form re-rendered with errors): set up its fields.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail && event.detail.target;
    setUpAll(target && target.isConnected ? target : document);
  });
  // The sign page offers the paper form until now (a pad without JavaScript cannot sign):
  // the pad works, so offer it first, unless the worker already chose (a re-rendered form).
  document.querySelectorAll("form[data-prefer-tablet]").forEach((form) => {
    const tablet = form.querySelector('input[name="method"][value="tablet"]');
    if (tablet) tablet.checked = true;
  });
  setUpAll(document);
})();
