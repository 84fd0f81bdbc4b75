/* The service worker (served at /sw.js by portal/offline.py, so that it answers for the whole
 * site). A small hand-written worker, no library.
 *
 * It keeps one field worker's pages for offline use, in a cache of that worker's own
 * ("portal-offline-<user id>"): static/js/offline.js sends it the list of the worker's pages
 * (/offline/scope.json) whenever the tablet is online. Pages are fetched from the network
 * first and kept fresh as the worker opens them; without a network (or after a few seconds
 * without an answer) the kept copy is shown. Another user's list drops the first user's cache.
 * Static files are served from the cache and refreshed behind it.
 *
 * It never touches a POST: visits saved offline are queued by offline.js, in IndexedDB. */
"use strict";

const PREFIX = "portal-offline-";
const STATIC_CACHE = "portal-static";
const STATE_CACHE = "portal-state";
const STATE_KEY = "/__offline-scope__";
const NETWORK_TIMEOUT_MS = 6000;  // a stairwell's one bar of signal: show the kept page instead

let scope = null;  // {user, cache, urls, static}; read back from STATE_CACHE after a restart

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function absolute(url) { return new URL(url, self.location.origin).href; }

async function currentScope() {
  if (scope) return scope;
  const state = await caches.open(STATE_CACHE);
  const stored = await state.match(STATE_KEY);
  scope = stored ? await stored.json() : null;
  return scope;
}

async function rememberScope(next) {
  scope = next;
  const state = await caches.open(STATE_CACHE);
  const kept = { user: next.user, cache: next.cache, urls: next.urls, static: next.static };
  await state.put(STATE_KEY, new Response(JSON.stringify(kept), { headers: { "Content-Type": "application/json" } }));
}

async function forget() {
  scope = null;
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) || name === STATE_CACHE) await caches.delete(name);
  }
}

function keepable(response) {
  // a redirect is the login page (a session ended): never kept in place of the page
  return response && response.ok && !response.redirected && response.type === "basic";
}

/* Store the worker's pages: drop what left their scope and other users' caches, fetch what
 * is missing (everything when ``full``), a few at a time. */
async function refresh(next, full) {
  await rememberScope(next);
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== next.cache) await caches.delete(name);
  }
  const cache = await caches.open(next.cache);
  const wanted = new Set(next.urls.map(absolute));
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) await cache.delete(request);
  }
  const statics = await caches.open(STATIC_CACHE);
  const jobs = [];
  for (const url of next.static) jobs.push([statics, absolute(url)]);
  for (const url of wanted) jobs.push([cache, url]);
  let kept = 0;
  let failed = 0;
  async function worker() {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const [into, url] = job;
      if (!full && await into.match(url, { ignoreVary: true })) { kept += 1; continue; }
      try {
        const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
        if (keepable(response)) { await into.put(url, response); kept += 1; } else { failed += 1; }
      } catch (error) {
        failed += 1;
      }
    }
  }
  await Promise.all([worker(), worker()]);  // two at a time: the server serves others too
  return { kept: kept, failed: failed, pages: wanted.size };
}

self.addEventListener("message", function (event) {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  const reply = function (message) { if (port) port.postMessage(message); };
  if (data.type === "scope") {
    event.waitUntil(refresh(data.scope, data.full).then(reply, function (error) {
      reply({ error: String(error) });
    }));
  } else if (data.type === "forget") {
    event.waitUntil(forget().then(function () { reply({ forgotten: true }); }));
  }
});

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    const timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
      function (error) { clearTimeout(timer); reject(error); });
  });
}

/* The kept copy of a page: the page itself, else (for a household's visit form, which the
 * door list opens at /households/<id>/visits/) the household page with the form open, else
 * the household page whatever its query string. */
async function keptCopy(cache, url) {
  const match = function (request, options) {
    return cache.match(request, Object.assign({ ignoreVary: true }, options || {}));
  };
  const found = await match(url.href);
  if (found) return found;
  const visitForm = url.pathname.match(/^\/households\/(\d+)\/visits\/$/);
  if (visitForm) return match(absolute("/households/" + visitForm[1] + "/?log=1"));
  if (/^\/households\/\d+\/$/.test(url.pathname)) return match(url.origin + url.pathname, { ignoreSearch: true });
  return undefined;
}

async function page(request, url) {
  const current = await currentScope();
  const cache = current ? await caches.open(current.cache) : null;
  const inScope = current && current.urls.some(function (kept) { return absolute(kept) === url.href; });
  const network = fetch(request);
  network.catch(function () {});  // answered below, from the kept copy
  try {
    // wait long only when there is no copy to fall back on
    const copy = cache ? await keptCopy(cache, url) : undefined;
    const response = copy ? await withTimeout(network, NETWORK_TIMEOUT_MS) : await network;
    if (inScope && keepable(response)) await cache.put(url.href, response.clone());
    return response;
  } catch (error) {
    const copy = cache ? await keptCopy(cache, url) : undefined;
    if (copy) return copy;
    if (request.mode === "navigate" && cache) {
      const fallback = await cache.match(absolute("/offline/"), { ignoreVary: true });
      if (fallback) return fallback;
    }
    throw error;
  }
}

async function staticFile(request) {
  const statics = await caches.open(STATIC_CACHE);
  const copy = await statics.match(request, { ignoreVary: true });
  const network = fetch(request).then(function (response) {
    if (keepable(response)) statics.put(request, response.clone());
    return response;
  });
  if (copy) {
    network.catch(function () {});
    return copy;
  }
  return network;
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request));
    return;
  }
  // htmx asks for fragments: never kept, never answered with a whole kept page; the
  // queue's own calls, the logins and the admin go straight to the network
  if (request.headers.get("HX-Request")) return;
  if (/^\/(accounts|admin|offline\/scope\.json|sw\.js)/.test(url.pathname)) return;
  event.respondWith(page(request, url));
});
