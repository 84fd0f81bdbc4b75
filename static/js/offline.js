/* Door-knocking without signal (templates/_offline.html loads it on every signed-in page).
 * Everything here is an enhancement: without JavaScript the forms post as they always did.
 *
 * - Registers the service worker (static/js/sw.js at /sw.js) and, whenever the tablet is
 *   online, hands it the list of the worker's own pages to keep (/offline/scope.json).
 * - A visit or an owner-trace attempt saved without a network is kept in IndexedDB, with its
 *   idempotency key and the time it was taken on the tablet, and sent when the network
 *   returns (and again, safely, after a failure: the key makes a replay a no-op).
 * - A record the server refuses (the household left the worker's scope, or a field needs
 *   fixing) stays in the queue with the server's words, until the worker dismisses it.
 * - The status line says whether there is a network, how many records wait, and when the
 *   last sync was. Logging out sends what waits first, warns if anything is left, and removes
 *   the kept pages and the queue.
 * - The sign page says that signing needs a connection while there is none.
 * - The door list offers to install the portal on the tablet. */
(function () {
  "use strict";
  const root = document.getElementById("offline-status");
  if (!root) return;
  const say = root.dataset;
  const USER = Number(say.user);
  const QUEUEABLE = /^\/households\/\d+\/(visits|trace)\/$/;
  const PREFIX = "portal-offline-";  // as in sw.js and portal/offline.py
  const LAST_SYNC = PREFIX + "last-sync-" + USER;
  const LAST_FULL = PREFIX + "last-full-" + USER;
  const KEPT = PREFIX + "kept-" + USER;  // how many pages this user keeps (none: no status line)
  const FULL_REFRESH_MS = 30 * 60 * 1000;  // refetch every kept page at most this often
  const RETRY_MS = 60 * 1000;
  const LOGOUT_WAIT_MS = 8000;  // logging out sends what waits first, but not for ever
  const WORKER_WAIT_MS = 10000;
  const supported = "serviceWorker" in navigator && "indexedDB" in window && "caches" in window;

  function pause(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return String(values[name]); });
  }

  /* ---- the queue, in IndexedDB: one record per idempotency key ---- */
  let database = null;
  function openDatabase() {
    if (!database) {
      database = new Promise(function (resolve, reject) {
        const request = indexedDB.open("portal-offline", 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("queue", { keyPath: "key" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return database;
  }
  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  async function queue(mode) {
    return (await openDatabase()).transaction("queue", mode).objectStore("queue");
  }
  async function queued() {
    const all = await done((await queue("readonly")).getAll());
    return all.filter(function (item) { return item.user === USER; })
      .sort(function (a, b) { return a.takenAt < b.takenAt ? -1 : 1; });
  }
  async function keepItem(item) { await done((await queue("readwrite")).put(item)); }
  async function dropItem(key) { await done((await queue("readwrite")).delete(key)); }

  /* ---- the status line ---- */
  async function render() {
    const items = supported ? await queued() : [];
    const waiting = items.filter(function (item) { return item.status === "waiting"; });
    const refused = items.filter(function (item) { return item.status !== "waiting"; });
    root.querySelector("[data-offline-network]").textContent = navigator.onLine ? "" : say.tOffline;
    root.querySelector("[data-offline-waiting]").textContent =
      waiting.length ? format(say.tWaiting, { n: waiting.length }) : say.tNoneWaiting;
    const last = localStorage.getItem(LAST_SYNC);
    root.querySelector("[data-offline-last-sync]").textContent = last
      ? format(say.tLastSync, { time: new Date(last).toLocaleString(document.documentElement.lang || undefined,
        { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" }) })
      : say.tNeverSynced;
    const list = root.querySelector("[data-offline-refused]");
    list.replaceChildren.apply(list, refused.map(function (item) {
      const li = document.createElement("li");
      li.className = "error";
      li.textContent = item.label + "：" + item.message + " ";
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "link";
      dismiss.dataset.offlineDismiss = item.key;
      dismiss.textContent = say.tDismiss;
      li.appendChild(dismiss);
      return li;
    }));
    root.dataset.waiting = String(waiting.length);
    root.dataset.refused = String(refused.length);
    root.hidden = !(items.length || !navigator.onLine || Number(localStorage.getItem(KEPT)) > 0);
  }

  root.addEventListener("click", async function (event) {
    const button = event.target.closest("[data-offline-dismiss]");
    if (!button) return;
    await dropItem(button.dataset.offlineDismiss);
    render();
  });

  /* ---- the forms: a fresh key and time on every load (a kept page is an old copy) ---- */
  function queueable(form) {
    return form.method === "post" && QUEUEABLE.test(new URL(form.action, location.href).pathname);
  }
  /* A time as the form's field shows it: the site's local time (data-utc-offset, "+0800"),
   * whatever time zone the tablet is set to. */
  function localInput(date) {
    const offset = /^([+-])(\d\d)(\d\d)$/.exec(say.utcOffset || "");
    const minutes = offset
      ? (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]))
      : -date.getTimezoneOffset();
    const local = new Date(date.getTime() + minutes * 60000);
    const pad = function (n) { return String(n).padStart(2, "0"); };
    return local.getUTCFullYear() + "-" + pad(local.getUTCMonth() + 1) + "-" + pad(local.getUTCDate()) +
      "T" + pad(local.getUTCHours()) + ":" + pad(local.getUTCMinutes());
  }
  function freshen(form, renew) {
    const key = form.querySelector("input[name=idempotency_key]");
    if (renew && key && window.crypto && crypto.randomUUID) key.value = crypto.randomUUID();
    const when = form.querySelector("input[name=visited_at]");
    if (when && renew && !form.querySelector("[aria-invalid=true]")) when.value = localInput(new Date());
    if (when) when.dataset.offlineDefault = when.value;
  }
  function freshenAll(within, renew) {
    within.querySelectorAll("form").forEach(function (form) { if (queueable(form)) freshen(form, renew); });
  }

  function note(form, text, isError) {
    let line = form.parentElement.querySelector(":scope > .offline-kept");
    if (!line) {
      line = document.createElement("p");
      line.setAttribute("role", isError ? "alert" : "status");
      form.before(line);
    }
    line.className = "offline-kept " + (isError ? "error" : "saved");
    line.textContent = text;
    line.tabIndex = -1;
    line.focus();
  }

  function placeOf(form) {
    const row = form.closest(".door-row");
    const heading = row ? row.querySelector(".door") : document.querySelector("main h1");
    return heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
  }

  /* Keep a form's record in the queue, and clear the form for the next one. */
  async function keep(form) {
    const kind = new URL(form.action, location.href).pathname.match(QUEUEABLE)[1];
    const picked = function (name) { return form.querySelector("input[name=" + name + "]:checked"); };
    if (kind === "visits" && !picked("reached")) return note(form, say.tChooseReached, true);
    if (kind === "trace" && !(picked("method") && picked("result"))) return note(form, say.tChooseTrace, true);
    const data = new FormData(form);
    const takenAt = new Date();
    const key = data.get("idempotency_key") || crypto.randomUUID();
    data.set("idempotency_key", key);
    if (kind === "visits") {
      const when = form.querySelector("input[name=visited_at]");
      // the time taken, to the second, unless the worker wrote another
      if (!when || when.value === when.dataset.offlineDefault) data.set("visited_at", takenAt.toISOString());
      data.set("return_to", "household");
    } else {
      data.set("attempted_at", takenAt.toISOString());
    }
    data.delete("csrfmiddlewaretoken");  // a fresh one is fetched when it is sent
    await keepItem({
      key: key,
      user: USER,
      kind: kind,
      url: new URL(form.action, location.href).pathname,
      label: placeOf(form),
      body: new URLSearchParams(data).toString(),
      takenAt: takenAt.toISOString(),
      status: "waiting",
      message: "",
    });
    form.reset();
    const reached = form.querySelector("input[name=reached]");
    if (reached) reached.dispatchEvent(new Event("change", { bubbles: true }));  // visits.js
    freshen(form, true);
    note(form, say.tKept, false);
    render();
  }

  if (supported) {
    document.addEventListener("submit", function (event) {
      const form = event.target;
      if (!queueable(form) || navigator.onLine) return;
      event.preventDefault();
      event.stopImmediatePropagation();  // before htmx sends it
      keep(form);
    }, true);

    document.addEventListener("htmx:sendError", function (event) {
      const element = event.detail.elt;
      if (!element) return;
      const form = element.closest("form");
      if (form && queueable(form)) keep(form);  // same key: if it did arrive, no second visit
      else if (element.matches("a[href]")) location.assign(element.href);  // the kept page
    });
  }

  /* ---- sending what waits, and keeping the worker's pages ---- */
  async function fetchScope() {
    try {
      const response = await fetch(say.scope, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.redirected) return "login";
      return response.ok ? await response.json() : null;
    } catch (error) {
      return null;
    }
  }

  function ask(worker, message) {
    return new Promise(function (resolve) {
      const channel = new MessageChannel();
      channel.port1.onmessage = function (event) { resolve(event.data || {}); };
      worker.postMessage(message, [channel.port2]);
    });
  }

  async function reasonOf(response) {
    const text = await response.text();
    if ((response.headers.get("Content-Type") || "").startsWith("text/plain")) return text.trim();
    if (response.status === 422) {
      const page = new DOMParser().parseFromString(text, "text/html");
      const errors = Array.from(page.querySelectorAll(".errorlist li"))
        .map(function (error) { return error.textContent.trim(); }).filter(Boolean);
      return [say.tNeedsFix].concat(errors).join(" ");
    }
    return format(say.tRefused, { status: response.status });
  }

  /* Send one record; true when the network failed or the session ended (stop for now). */
  async function send(item, csrf) {
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        credentials: "same-origin",
        body: item.body,
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-CSRFToken": csrf,
          "HX-Request": "true",
          "X-Offline-Replay": "1",
        },
      });
    } catch (error) {
      return true;
    }
    if (response.redirected) return true;  // to the login page
    if (response.ok) {
      await dropItem(item.key);
      return false;
    }
    if (response.status >= 500) return true;  // try again later
    item.status = "refused";
    item.message = await reasonOf(response);
    await keepItem(item);
    return false;
  }

  let syncing = null;
  function sync() {
    if (!syncing) syncing = syncOnce().finally(function () { syncing = null; render(); });
    return syncing;
  }
  async function syncOnce() {
    if (!supported || !navigator.onLine) return;
    const scope = await fetchScope();
    if (scope === "login") {
      root.querySelector("[data-offline-network]").textContent = say.tLogin;
      return;
    }
    if (!scope || scope.user !== USER) return;
    localStorage.setItem(KEPT, String(scope.urls.length));
    for (const item of await queued()) {
      if (item.status === "waiting" && await send(item, scope.csrf)) return;
    }
    localStorage.setItem(LAST_SYNC, new Date().toISOString());
    // no service worker (blocked, or a private window): the queue works, nothing is kept
    if (!await navigator.serviceWorker.getRegistration()) return;
    const active = await Promise.race([
      navigator.serviceWorker.ready.then(function (registration) { return registration.active; }),
      pause(WORKER_WAIT_MS),
    ]);
    if (!active) return;
    const full = Date.now() - Number(localStorage.getItem(LAST_FULL) || 0) > FULL_REFRESH_MS;
    const result = await ask(active, { type: "scope", scope: scope, full: full });
    if (result.error) return;
    if (full) localStorage.setItem(LAST_FULL, String(Date.now()));
    root.dataset.kept = String(result.kept);
    root.dataset.ready = "true";
  }

  /* ---- logging out: send, warn, then remove what this tablet kept ---- */
  async function forgetAll() {
    for (const item of await queued()) await dropItem(item.key);
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) || name === "portal-state") await caches.delete(name);
    }
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration && registration.active) {
      await Promise.race([ask(registration.active, { type: "forget" }), pause(2000)]);
    }
    localStorage.removeItem(LAST_SYNC);
    localStorage.removeItem(LAST_FULL);
    localStorage.removeItem(KEPT);
  }

  if (supported) {
    document.addEventListener("submit", async function (event) {
      const form = event.target;
      if (new URL(form.action, location.href).pathname !== say.logout || form.dataset.offlineCleared) return;
      event.preventDefault();
      await Promise.race([sync(), pause(LOGOUT_WAIT_MS)]);
      const left = (await queued()).length;
      if (left && !window.confirm(format(say.tLogoutWaiting, { n: left }))) return;
      await forgetAll();
      form.dataset.offlineCleared = "true";
      form.submit();
    }, true);
  }

  /* ---- signing needs a connection ---- */
  function showConnection() {
    document.querySelectorAll("[data-offline-notice]").forEach(function (notice) {
      notice.hidden = navigator.onLine;
    });
    document.querySelectorAll("form.consent-form button[type=submit]").forEach(function (button) {
      button.disabled = !navigator.onLine;
    });
  }

  /* ---- installing the portal on the tablet ---- */
  let installPrompt = null;
  function showInstall(shown) {
    document.querySelectorAll("[data-install-app]").forEach(function (button) { button.hidden = !shown; });
  }
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    installPrompt = event;
    showInstall(true);
  });
  window.addEventListener("appinstalled", function () { installPrompt = null; showInstall(false); });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("[data-install-app]") || !installPrompt) return;
    installPrompt.prompt();
    installPrompt.userChoice.finally(function () { installPrompt = null; showInstall(false); });
  });

  window.addEventListener("online", function () { showConnection(); render(); sync(); });
  window.addEventListener("offline", function () { showConnection(); render(); });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.elt && event.detail.elt.isConnected) freshenAll(event.detail.elt, false);
  });

  function start() {
    showConnection();
    if (!supported) return;
    freshenAll(document, true);
    navigator.serviceWorker.register(say.sw, { scope: "/" }).catch(function () {});
    render();
    sync();
    setInterval(function () {
      if (navigator.onLine && root.dataset.waiting !== "0") sync();
    }, RETRY_MS);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
