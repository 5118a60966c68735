// Bantin counts for a portal's list pages (docs/embedding.md, "Counts on list pages"):
//   <script type="module" src=".../bantin-count.js" data-api="https://portal.vn/api/v1"></script>
//   <span data-bantin-count="ky-anh-2022-11-15" data-kind="comments">…</span>
// Fills every [data-bantin-count] with one number, asking {api}/counts?ids=…
// once per API base for all of the page's articles. Not part of the widget:
// no wasm, no framework, textContent only. Its one global is
// window.bantinCount.refresh(), for elements added later (infinite scroll).
const ID = /^[A-Za-z0-9._-]{1,100}$/;
const CHUNK = 100; // ids per request, the endpoint's limit

// A module has no document.currentScript: its own <script> is the one whose
// (resolved) src is this module's URL.
const script = [...document.querySelectorAll("script[src]")].find((s) => s.src == import.meta.url);

// "base id" → promise of that article's counts (undefined when they could not
// be had). Shared by every element showing the article, and by later refreshes.
const asked = new Map();

// The element's API base, absolute, without a trailing slash; undefined if none.
function apiOf(el) {
  const api = el.dataset.api || script?.dataset.api;
  try {
    if (api) return new URL(api, document.baseURI).href.replace(/\/+$/, "");
  } catch {}
}

function show(el, counts, key) {
  const kind = el.dataset.kind || "comments";
  const n =
    kind == "rating" ? counts?.rating?.average
    : kind == "votes" ? counts?.rating?.count
    : kind == "comments" || kind == "views" ? counts?.[kind]
    : undefined;
  const ok = typeof n == "number" && n >= 0;
  if (ok) {
    // vi-VN "2.504.500" and "4,3" (as the widget writes them); en "2,504,500", "4.3".
    const en = /^en(-|$)/i.test(el.dataset.lang || el.closest("[lang]")?.lang || "");
    const digits = kind == "rating" ? { minimumFractionDigits: 1, maximumFractionDigits: 1 } : {};
    el.textContent = new Intl.NumberFormat(en ? "en" : "vi-VN", digits).format(n);
  } else {
    asked.delete(key); // let a later refresh ask again
  }
  el.dataset.bantinCountState = ok ? "ok" : "error";
}

// Fills the elements that have no data-bantin-count-state yet; resolves when
// all of them are "ok" or "error". Never rejects.
function refresh() {
  const found = [];
  const missing = new Map(); // base → ids no request has asked for yet
  for (const el of document.querySelectorAll("[data-bantin-count]:not([data-bantin-count-state])")) {
    const id = el.dataset.bantinCount;
    const base = apiOf(el);
    const key = base && ID.test(id) && base + " " + id;
    el.dataset.bantinCountState = "loading";
    found.push([el, key]);
    if (key && !asked.has(key)) {
      if (!missing.has(base)) missing.set(base, new Set());
      missing.get(base).add(id);
    }
  }
  for (const [base, set] of missing) {
    // Sorted: the same articles are the same URL, for the HTTP cache (max-age=60).
    const ids = [...set].sort();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      // A simple GET: no preflight, no cookies. Any failure (network, non-2xx,
      // not JSON) is an answer of 0, and so no counts for its ids.
      const all = fetch(base + "/counts?ids=" + chunk.join(","), { credentials: "omit" })
        .then((r) => (r.ok ? r.json() : 0))
        .catch(() => 0);
      for (const id of chunk) asked.set(base + " " + id, all.then((a) => a?.[id]));
    }
  }
  return Promise.all(found.map(async ([el, key]) => show(el, key && (await asked.get(key)), key))).then(() => {});
}

window.bantinCount = { refresh };
// An async or early module may run before the page is parsed.
if (document.readyState == "loading") document.addEventListener("DOMContentLoaded", refresh);
else refresh();
