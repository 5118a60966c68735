// Bantin stable entry: <script type="module" src=".../bantin.js"></script>
// Mounts every [data-bantin] element. Written into dist/ by trunk's post-build
// hook (`cargo xtask dist`, from xtask/src/entry.js; the fallback texts are
// in xtask/src/dist.rs). The hashed files load relative to this file's URL,
// so it works from any origin and path. When the widget cannot run, each
// mount point says so and links to the article instead of staying blank.
// Relies on nothing the page defines and defines no globals; no inline
// styles or scripts (CSP).
const TEXT = {TEXT};
const FILES = { main: ["{MAIN_JS}", "{MAIN_WASM}"], parts: ["{PARTS_JS}", "{PARTS_WASM}"] };

const ARTICLE_ROUTE = "{ARTICLE_ROUTE}";
const ARTICLE_ID = /^(?!\.\.?$)[A-Za-z0-9._-]{1,{ARTICLE_ID_MAX}}$/;

const attrOf = (host, name) => (host.getAttribute(name) || "").trim();

function httpUrl(url, base) {
  try {
    const u = new URL(url, base);
    return url && (u.protocol === "https:" || u.protocol === "http:") ? u.href : "";
  } catch {
    return "";
  }
}

// The article document a mount point reads first, as the widget finds it
// (src/config.rs): `data-article`, else the API's; "" for none.
function articleUrl(host, base) {
  const api = attrOf(host, "data-api");
  const id = attrOf(host, "data-article-id");
  const fromApi = api && id ? api.replace(/\/+$/, "") + ARTICLE_ROUTE.replace("{id}", encodeURIComponent(id)) : "";
  return httpUrl(attrOf(host, "data-article") || fromApi, base);
}

function fallbackHref(host) {
  const href = attrOf(host, "data-fallback-href");
  return (href ? httpUrl(href, document.baseURI) : articleUrl(host, document.baseURI)) || null;
}

// The documents of the articles shown start downloading beside the code,
// as the head snippet's preload makes them (docs/embedding.md), when the
// page does not preload them itself: no round trip after the wasm.
function preloadArticles(hosts) {
  const preloaded = new Set([...document.querySelectorAll("link[rel~=preload][href]")].map((l) => l.href));
  for (const host of hosts) {
    if (attrOf(host, "data-parts") && !partsOf(host).includes("article")) continue;
    // The widget fetches nothing for an id it refuses.
    if (!attrOf(host, "data-article") && !ARTICLE_ID.test(attrOf(host, "data-article-id"))) continue;
    const href = articleUrl(host, location.href);
    if (!href || preloaded.has(href)) continue;
    preloaded.add(href);
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    link.crossOrigin = "anonymous";
    link.href = href;
    document.head.append(link);
  }
}

function showFallback() {
  for (const host of document.querySelectorAll("[data-bantin]")) {
    if (host.hasAttribute("data-bantin-mounted") || host.hasAttribute("data-bantin-fallback")) continue;
    host.setAttribute("data-bantin-fallback", "");
    host.setAttribute("data-bantin-ready", "");
    const [message, linkText] = /^en(-|$)/i.test(attrOf(host, "data-lang")) ? TEXT.en : TEXT.vi;
    const p = document.createElement("p");
    p.setAttribute("role", "note");
    p.style.margin = "0";
    p.textContent = message;
    const href = fallbackHref(host);
    if (href) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = linkText;
      p.append(" ", a);
    }
    let box = host;
    try {
      box = host.attachShadow({ mode: "open" });
    } catch {
      // An element that cannot host a shadow root: write into it directly.
    }
    box.replaceChildren(p);
  }
}

// Split as src/config.rs does: commas and ASCII whitespace only (not `\s`,
// which also splits on no-break spaces the widget then refuses).
function partsOf(host) {
  return (host.getAttribute("data-parts") || "").split(/[ \t\n\f\r,]+/);
}

function partsFirst(host) {
  const parts = partsOf(host);
  return !parts.includes("article") && (parts.includes("rating") || parts.includes("comments"));
}

// The wasm downloads (and compiles, streaming) while the glue module loads.
async function instantiate([js, wasm], priority) {
  const response = fetch(new URL("./" + wasm, import.meta.url), { priority });
  response.catch(() => {}); // reported by the init below; never unhandled
  const glue = await import(new URL("./" + js, import.meta.url).href);
  await glue.default({ module_or_path: response });
  return glue;
}

// The rating, comments and captchas: loaded by the first bundle once the
// article is painted, at low priority; a failed load can be tried again.
let parts = null;
function loadParts(priority = "low") {
  if (!parts) {
    parts = instantiate(FILES.parts, priority);
    parts.catch(() => {
      parts = null;
    });
  }
  return parts;
}

// A page with nothing but ratings and comments (no article, no counters):
// the second bundle alone, which says itself whether it can show them all.
function alone(host) {
  return partsFirst(host) && !partsOf(host).includes("counters");
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve));

// The first bundle, started once: its glue, whose `start` mounts the
// mount points not mounted yet.
let first = null;
function startFirst(hosts) {
  if (!first) {
    preloadArticles(hosts);
    // A mount point with a rating or comments and no article has nothing to
    // wait for: its code downloads beside the first bundle, not after it.
    const main = instantiate(FILES.main, "high");
    if (hosts.some(partsFirst)) {
      loadParts("high").catch(() => {}); // a failure is shown, and retried, by that part
    }
    first = main.then(async (glue) => {
      // A task of its own for the start: compiling the wasm's last bytes and
      // instantiating it is one, mounting and the first render another (no
      // long task holding the reader's taps).
      await nextTask();
      glue.start(loadParts);
      return glue;
    });
  }
  return first;
}

function failed(error) {
  console.warn("Bantin could not start:", error);
  showFallback();
}

async function main() {
  if (typeof WebAssembly !== "object" || !WebAssembly) {
    throw new Error("WebAssembly is not available in this browser");
  }
  const hosts = [...document.querySelectorAll("[data-bantin]")];
  let shown = null; // the second bundle, when it showed the page alone
  if (hosts.length > 0 && hosts.every(alone)) {
    try {
      const parts = await loadParts("high");
      await nextTask();
      if (parts.mount_alone()) shown = parts;
    } catch (error) {
      // The first bundle shows the parts' message and retry.
      console.warn("Bantin: the comments could not be loaded alone:", error);
    }
  }
  if (!shown) await startFirst(hosts);
  // Mount points the page adds later (a portal that appends the next article
  // as the reader scrolls, or renders its pages with script) are mounted as
  // they appear; one the second bundle cannot show alone takes the first.
  new MutationObserver(() => {
    if (document.querySelector("[data-bantin]:not([data-bantin-mounted]):not([data-bantin-fallback])")) {
      (shown && shown.mount_alone()) || startFirst([]).then((glue) => glue.start(loadParts)).catch(failed);
    }
  }).observe(document, { childList: true, subtree: true });
}

main().catch(failed);
