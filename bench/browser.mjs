// The browser half of `cargo xtask bench`, in Debian's headless Chromium:
// time to content (Bantin against Waline and Artalk) on loopback and on a
// phone's network (Lighthouse's mobile profile: 150 ms round trip, 1.6 Mbps
// down, 675 kbps up, CPU 4x slower), with the bytes each page transferred
// before its content; Lighthouse itself on each page; 1,000 comments; the
// proof of work. Prints one JSON document on stdout; progress goes to stderr.
// Run by xtask/src/bench.rs, which also measures payload and server
// throughput and writes docs/benchmarks.md.
//
//   node bench/browser.mjs --server <bantin-server> --dist <dir> --peers <dir> [--runs 7] [--only ttc|phone|lighthouse|comments|pow]

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const { chromium, devices } = createRequire(join(ROOT, 'package.json'))('playwright-core');
const sha256js = createRequire(import.meta.url)('./sha256.js');

const ARTICLE = 'ky-anh-2022-11-15';
const CPU_SLOWDOWN = 4;
const PHONE = devices['Pixel 7'];
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-extensions',
];

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i > 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`missing --${name}`);
  return fallback;
}

const SERVER_BIN = arg('server');
const DIST = arg('dist');
const PEERS = arg('peers');
const RUNS = Number(arg('runs', '7'));
const log = (...a) => console.error('   ', ...a);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------- servers

async function freePort() {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

/** The site every product is served from: the built widget, the bench pages
 *  and the peers' files, from the same bantin-server (same HTTP stack for all). */
function makeSite(peerApi) {
  const dir = mkdtempSync(join(tmpdir(), 'bantin-bench-'));
  const site = join(dir, 'site');
  // Times kept, as an operator's `cp -a` would (bantin-server checks
  // precompressed copies by content, so a plain copy would work too).
  cpSync(DIST, site, { recursive: true, preserveTimestamps: true });
  cpSync(join(HERE, 'sha256.js'), join(site, 'sha256.js'));
  // The head snippets of this build, as a portal puts them in its pages.
  const head = (file) => readFileSync(join(DIST, file), 'utf8').replaceAll('href="', 'href="/');
  for (const name of readdirSync(join(HERE, 'pages'))) {
    const text = readFileSync(join(HERE, 'pages', name), 'utf8')
      .replaceAll('__PEER_API__', peerApi)
      .replace('<!-- bantin:head -->', head('bantin-head.html'))
      .replace('<!-- bantin:head-parts -->', head('bantin-head-parts.html'));
    writeFileSync(join(site, `bench-${name}`), text);
  }
  // The comments part alone with the proof-of-work captcha: the e2e tests' page.
  cpSync(join(ROOT, 'tests/e2e/pages/pow-only.html'), join(site, 'bench-pow-only.html'));
  const peerFiles = {
    'waline.js': '@waline/client/dist/waline.js',
    'waline.css': '@waline/client/dist/waline.css',
    'Artalk.js': 'artalk/dist/Artalk.js',
    'Artalk.css': 'artalk/dist/Artalk.css',
  };
  for (const [to, from] of Object.entries(peerFiles)) cpSync(join(PEERS, from), join(site, 'peers', to));
  return { dir, site };
}

class Server {
  constructor(site, dir, extra) {
    this.site = site;
    this.dir = dir;
    this.extra = extra;
  }

  static async start(site, dir, extra = []) {
    const s = new Server(site, dir, extra);
    s.port = await freePort();
    s.url = `http://127.0.0.1:${s.port}`;
    s.child = spawn(SERVER_BIN, [
      '--addr', `127.0.0.1:${s.port}`, '--db', join(dir, `bench-${s.port}.db`), '--dist', site,
      '--articles', join(ROOT, 'public/articles'), '--rate-writes', '0', '--rate-comments', '0', '--log', 'warn',
      ...extra,
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${s.url}/api/v1/stats`)).ok) return s;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('bantin-server did not start');
  }

  async stop() {
    if (this.child.exitCode !== null) return;
    await new Promise((done) => {
      this.child.once('exit', done);
      this.child.kill('SIGTERM');
    });
  }
}

/** Stands in for the Waline and Artalk servers: empty but valid answers, so
 *  their clients render as they would for an article without comments. */
async function startPeerApi() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Access-Control-Allow-Headers', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.setHeader('Content-Type', 'application/json');
    if (req.method === 'OPTIONS') return res.end();
    let body = {};
    if (url.pathname.startsWith('/api/comment')) {
      // Waline 3
      body = { errno: 0, errmsg: '', data: { page: 1, totalPages: 0, pageSize: 10, count: 0, data: [] } };
    } else if (url.pathname.startsWith('/api/article')) {
      body = { errno: 0, errmsg: '', data: [{ time: 0 }] };
    } else if (url.pathname === '/api/v2/conf') {
      // Artalk 2
      body = { frontend_conf: {}, version: { app: 'artalk', version: '2.9.1', commit_hash: '' } };
    } else if (url.pathname.startsWith('/api/v2/comments')) {
      body = { comments: [], count: 0, roots_count: 0, page: { id: 1, key: '/bench/article', title: 'Bench', pv: 0 } };
    }
    res.end(JSON.stringify(body));
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

// ---------------------------------------------------------------- browser

/** A fresh browser (cold profile, empty cache) on the phone profile, its CPU slowed. */
async function phonePage(slowdown = CPU_SLOWDOWN) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ ...PHONE });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
  return { browser, page };
}

/** Records, on the first animation frame where each selector matches (in the
 *  page or in a Bantin shadow root), milliseconds since navigation start. */
function watchFor(selectors) {
  const marks = {};
  window.__benchMarks = marks;
  const roots = () => {
    const all = [document];
    for (const host of document.querySelectorAll('[data-bantin]')) if (host.shadowRoot) all.push(host.shadowRoot);
    return all;
  };
  const tick = () => {
    for (const [name, selector] of Object.entries(selectors)) {
      if (marks[name] === undefined && roots().some((r) => r.querySelector(selector))) marks[name] = performance.now();
    }
    if (Object.keys(selectors).every((k) => marks[k] !== undefined)) marks.done = true;
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** Waits for the marks of `watchFor`. Polls with a plain evaluate: Playwright's
 *  waitForFunction and locators inject a large script whose compilation, on a
 *  slowed CPU, would be charged to whatever the page is loading. */
async function marksOf(page) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const marks = await page.evaluate(() => window.__benchMarks);
    if (marks?.done) {
      delete marks.done;
      return marks;
    }
  }
  throw new Error(`nothing to measure on ${page.url()}`);
}

async function timeToContent(url, selectors) {
  const { browser, page } = await phonePage();
  try {
    await page.addInitScript(watchFor, selectors);
    await page.goto(url, { waitUntil: 'commit' });
    return await marksOf(page);
  } finally {
    await browser.close();
  }
}

async function benchTimeToContent(site, dir, peerApi) {
  const server = await Server.start(site, dir);
  try {
    // Bantin's form is timed on a page of its own (rating and comments, no
    // article above them): on the article page it loads when the reader
    // scrolls near it.
    const products = {
      bantin: { url: `${server.url}/bench-bantin.html`, selectors: { title: '.bt-title' } },
      bantin_form: { url: `${server.url}/bench-bantin-comments.html`, selectors: { form: 'textarea' } },
      waline: { url: `${server.url}/bench-waline.html`, selectors: { form: 'textarea' } },
      artalk: { url: `${server.url}/bench-artalk.html`, selectors: { form: 'textarea' } },
    };
    // One warm-up each (the server's file cache, Chromium's first start), not counted.
    for (const p of Object.values(products)) await timeToContent(p.url, p.selectors);
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const run = {};
      // Alternate the order so that no product always runs first.
      const order = Object.keys(products);
      for (let k = 0; k < i % order.length; k++) order.push(order.shift());
      for (const name of order) run[name] = await timeToContent(products[name].url, products[name].selectors);
      run.bantin.form = run.bantin_form.form;
      delete run.bantin_form;
      run.ratio_title_vs_waline_form = run.waline.form / run.bantin.title;
      run.ratio_title_vs_artalk_form = run.artalk.form / run.bantin.title;
      run.ratio_form_vs_waline_form = run.waline.form / run.bantin.form;
      log(`time to content run ${i + 1}/${RUNS}: bantin title ${run.bantin.title.toFixed(0)} ms, form ${run.bantin.form.toFixed(0)} ms; waline form ${run.waline.form.toFixed(0)} ms; artalk form ${run.artalk.form.toFixed(0)} ms`);
      runs.push(run);
    }
    const pick = (f) => median(runs.map(f));
    return {
      runs,
      median: {
        bantin_title_ms: pick((r) => r.bantin.title),
        bantin_form_ms: pick((r) => r.bantin.form),
        waline_form_ms: pick((r) => r.waline.form),
        artalk_form_ms: pick((r) => r.artalk.form),
        ratio_title_vs_waline_form: pick((r) => r.ratio_title_vs_waline_form),
        ratio_title_vs_artalk_form: pick((r) => r.ratio_title_vs_artalk_form),
        ratio_form_vs_waline_form: pick((r) => r.ratio_form_vs_waline_form),
      },
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- phone network

/** Lighthouse's mobile network ("slow 4G" as it simulates it), applied by
 *  Chromium itself: every byte and round trip costs what it would on a phone. */
const PHONE_NETWORK = { offline: false, latency: 150, downloadThroughput: (1638.4 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };

/** A cold phone browser with the network and CPU emulated. */
async function phoneOnNetwork() {
  const { browser, page } = await phonePage(CPU_SLOWDOWN);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', PHONE_NETWORK);
  return { browser, page };
}

/** Time to the content (first frame with the selector) and the bytes the page
 *  had received by then: Resource Timing's transferSize of every response
 *  finished before that frame, the document's included. */
async function phoneTimeToContent(url, selector) {
  const { browser, page } = await phoneOnNetwork();
  try {
    await page.addInitScript(watchFor, { content: selector });
    await page.goto(url, { waitUntil: 'commit' });
    const { content } = await marksOf(page);
    const bytes = await page.evaluate((at) => {
      const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
      const done = entries.filter((e) => e.responseEnd > 0 && e.responseEnd <= at);
      return {
        total: done.reduce((a, e) => a + e.transferSize, 0),
        files: done.map((e) => [e.name.replace(location.origin, ''), e.transferSize]),
      };
    }, content);
    return { ms: content, bytes: bytes.total, files: bytes.files };
  } finally {
    await browser.close();
  }
}

async function benchPhone(site, dir) {
  const server = await Server.start(site, dir);
  try {
    const products = {
      bantin_title: { url: `${server.url}/bench-bantin.html`, selector: '.bt-title' },
      bantin_form: { url: `${server.url}/bench-bantin-comments.html`, selector: 'textarea' },
      waline_form: { url: `${server.url}/bench-waline.html`, selector: 'textarea' },
      artalk_form: { url: `${server.url}/bench-artalk.html`, selector: 'textarea' },
    };
    for (const p of Object.values(products)) await phoneTimeToContent(p.url, p.selector);
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const run = {};
      const order = Object.keys(products);
      for (let k = 0; k < i % order.length; k++) order.push(order.shift());
      for (const name of order) run[name] = await phoneTimeToContent(products[name].url, products[name].selector);
      run.ratio_artalk_form_vs_title = run.artalk_form.ms / run.bantin_title.ms;
      run.ratio_waline_form_vs_form = run.waline_form.ms / run.bantin_form.ms;
      log(`phone run ${i + 1}/${RUNS}: bantin title ${run.bantin_title.ms.toFixed(0)} ms (${run.bantin_title.bytes} B), form ${run.bantin_form.ms.toFixed(0)} ms; waline form ${run.waline_form.ms.toFixed(0)} ms (${run.waline_form.bytes} B); artalk form ${run.artalk_form.ms.toFixed(0)} ms (${run.artalk_form.bytes} B)`);
      runs.push(run);
    }
    const pick = (f) => median(runs.map(f));
    const med = {};
    for (const name of Object.keys(products)) {
      med[`${name}_ms`] = pick((r) => r[name].ms);
      med[`${name}_bytes`] = pick((r) => r[name].bytes);
    }
    med.ratio_artalk_form_vs_title = pick((r) => r.ratio_artalk_form_vs_title);
    med.ratio_waline_form_vs_form = pick((r) => r.ratio_waline_form_vs_form);
    return { network: PHONE_NETWORK, cpu_slowdown: CPU_SLOWDOWN, files_before_title: runs[0].bantin_title.files, runs: runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'object' ? { ms: v.ms, bytes: v.bytes } : v]))), median: med };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- lighthouse

const LIGHTHOUSE = join(PEERS, '.bin', 'lighthouse');

/** One Lighthouse run (its mobile preset, simulated throttling), performance only. */
function lighthouse(url) {
  const out = join(mkdtempSync(join(tmpdir(), 'bantin-lh-')), 'report.json');
  return new Promise((done, fail) => {
    const child = spawn(LIGHTHOUSE, [
      url, '--only-categories=performance', '--output=json', `--output-path=${out}`, '--quiet',
      `--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage ${CHROMIUM_ARGS.join(' ')}`,
    ], { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => {
      if (code !== 0) return fail(new Error(`lighthouse ${url}: exit ${code}`));
      const r = JSON.parse(readFileSync(out, 'utf8'));
      rmSync(dirname(out), { recursive: true, force: true });
      done({
        score: Math.round(r.categories.performance.score * 100),
        lcp_ms: Math.round(r.audits['largest-contentful-paint'].numericValue),
        tbt_ms: Math.round(r.audits['total-blocking-time'].numericValue),
        cls: Number(r.audits['cumulative-layout-shift'].numericValue.toFixed(3)),
        fcp_ms: Math.round(r.audits['first-contentful-paint'].numericValue),
      });
    });
  });
}

async function benchLighthouse(site, dir, runs = 3) {
  const server = await Server.start(site, dir);
  try {
    const pages = {
      bantin_demo: `${server.url}/index.html`,
      waline: `${server.url}/bench-waline.html`,
      artalk: `${server.url}/bench-artalk.html`,
    };
    const results = {};
    for (const name of Object.keys(pages)) results[name] = [];
    for (let i = 0; i < runs; i++) {
      for (const [name, url] of Object.entries(pages)) {
        const r = await lighthouse(url);
        log(`lighthouse run ${i + 1}/${runs} ${name}: score ${r.score}, LCP ${r.lcp_ms} ms, TBT ${r.tbt_ms} ms, CLS ${r.cls}`);
        results[name].push(r);
      }
    }
    const med = {};
    for (const [name, rs] of Object.entries(results)) {
      med[name] = Object.fromEntries(Object.keys(rs[0]).map((k) => [k, median(rs.map((r) => r[k]))]));
    }
    return { runs: results, median: med };
  } finally {
    await server.stop();
  }
}

async function benchManyComments(site, dir, count = 1000) {
  const server = await Server.start(site, dir, ['--captcha', 'off', '--min-submit-ms', '0']);
  try {
    for (let i = 1; i <= count; i++) {
      const r = await fetch(`${server.url}/api/v1/articles/${ARTICLE}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          author: `Bạn đọc ${i}`,
          body: `Ý kiến số ${i}: ${'Cần đẩy mạnh công tác phát triển đảng viên trong doanh nghiệp. '.repeat(1 + (i % 4))}`,
          elapsed_ms: 5000,
        }),
      });
      if (r.status !== 201) throw new Error(`seeding comment ${i}: HTTP ${r.status}`);
    }
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const { browser, page } = await phonePage();
      try {
        await page.addInitScript(watchFor, { first: '.bt-comment' });
        await page.goto(`${server.url}/bench-pow-only.html`, { waitUntil: 'commit' });
        const { first } = await marksOf(page);
        const paging = await page.evaluate(pageThroughAll);
        log(`1,000 comments run ${i + 1}/3: first page ${first.toFixed(0)} ms; ${paging.pages.length} pages, median ${median(paging.pages).toFixed(0)} ms; longest task ${paging.longest_task_ms} ms; ${paging.shown} shown`);
        runs.push({ first_page_ms: first, ...paging });
      } finally {
        await browser.close();
      }
    }
    return {
      comments: count,
      runs: runs.map((r) => ({ ...r, pages: undefined, page_ms_median: median(r.pages), page_ms_max: Math.max(...r.pages) })),
      median: {
        first_page_ms: median(runs.map((r) => r.first_page_ms)),
        page_ms: median(runs.map((r) => median(r.pages))),
        longest_task_ms: median(runs.map((r) => r.longest_task_ms)),
        longest_task_ms_worst: Math.max(...runs.map((r) => r.longest_task_ms)),
        shown: median(runs.map((r) => r.shown)),
      },
    };
  } finally {
    await server.stop();
  }
}

/** In the page: presses "Xem thêm" until every comment is shown, timing each
 *  page from the click to the frame that shows it, and watching long tasks. */
async function pageThroughAll() {
  const root = document.querySelector('[data-bantin]').shadowRoot;
  // childElementCount, not querySelectorAll: the measuring must not cost a
  // walk over 1,000 comments in every frame it watches. Each "Xem thêm"
  // adds one page (an element) to the list.
  const list = root.querySelector('.bt-comment-items');
  const pagesShown = () => list.childElementCount;
  const items = () => root.querySelectorAll('.bt-comment-page > .bt-comment').length;
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
  });
  observer.observe({ type: 'longtask' });
  const pages = [];
  for (;;) {
    // By its class: reading the text of every button of 1,000 comments
    // would be charged to the task of the click.
    const more = root.querySelector('.bt-more');
    if (!more) break;
    const before = pagesShown();
    const started = performance.now();
    more.click();
    // The page is whole when the button is usable again (or gone: the last
    // page); it is mounted a few comments per task.
    const whole = () => pagesShown() > before && (!more.isConnected || !more.disabled);
    await new Promise((done) => {
      const check = () => (whole() ? done() : requestAnimationFrame(check));
      requestAnimationFrame(check);
    });
    pages.push(performance.now() - started);
  }
  await new Promise((r) => setTimeout(r, 200));
  observer.disconnect();
  return { pages, longest_task_ms: Math.round(longest), shown: items() };
}

/** The widget's solver, through the real form: returns {number, took} of the
 *  payload it sent (base64 JSON in the comment's `captcha` field). */
async function widgetSolve(server, slowdown) {
  const { browser, page } = await phonePage(slowdown);
  try {
    await page.goto(`${server.url}/bench-pow-only.html`);
    const root = page.locator('[data-bantin]');
    await root.getByLabel('Họ và tên').fill('Bench');
    await root.getByLabel('Nội dung bình luận').fill('Proof of work bench.');
    // The comment goes with the reader's credential (`?visitor=…`).
    const posted = page.waitForRequest((r) => r.method() === 'POST' && /\/comments(\?|$)/.test(r.url()), { timeout: 120_000 });
    await root.getByRole('button', { name: 'Gửi bình luận' }).click();
    const body = JSON.parse((await posted).postData());
    const payload = JSON.parse(Buffer.from(body.captcha, 'base64').toString('utf8'));
    return { number: payload.number, took: payload.took };
  } finally {
    await browser.close();
  }
}

/** Plain JS SHA-256 in the same browser: a solve over `hashes` numbers that
 *  finds nothing (so it tries them all), on one fixed salt. */
async function jsHashRate(server, hashes, slowdown) {
  const { browser, page } = await phonePage(slowdown);
  try {
    await page.goto(`${server.url}/bench-sha256.html`);
    return await page.evaluate((n) => {
      const salt = 'bench-salt?expires=1999999999&';
      const started = performance.now();
      const r = window.benchSha256.solveRange(salt, '0'.repeat(64), 0, n);
      const took = performance.now() - started;
      return { hashes: r.hashes, took, per_second: r.hashes / (took / 1000) };
    }, hashes);
  } finally {
    await browser.close();
  }
}

async function benchPow(site, dir) {
  // The JS baseline is checked against node:crypto before it is trusted.
  for (const text of ['', 'abc', 'salt?expires=1&12345', 'x'.repeat(200)]) {
    if (sha256js.sha256Hex(text) !== createHash('sha256').update(text).digest('hex')) throw new Error('bench/sha256.js is wrong');
  }
  const hard = await Server.start(site, dir, ['--captcha-maxnumber', '1000000', '--min-submit-ms', '0']);
  const normal = await Server.start(site, dir, ['--min-submit-ms', '0']);
  try {
    // Hash rate without throttling: WASM solves of a hard challenge, JS over
    // 300,000 numbers, alternated so that both see the machine in the same
    // state; each rate is all hashes over all time (short solves weigh less).
    const wasm = [];
    const js = [];
    for (let i = 0; i < 7; i++) {
      const s = await widgetSolve(hard, 1);
      wasm.push({ ...s, per_second: (s.number + 1) / (s.took / 1000) });
      log(`pow wasm run ${i + 1}/7: ${s.number + 1} hashes in ${s.took} ms`);
      const r = await jsHashRate(hard, 300_000, 1);
      js.push(r);
      log(`pow js run ${i + 1}/7: ${r.hashes} hashes in ${r.took.toFixed(0)} ms`);
    }
    // Solve time at the default difficulty, CPU slowed 4x.
    const solves = [];
    for (let i = 0; i < RUNS; i++) {
      const s = await widgetSolve(normal, CPU_SLOWDOWN);
      solves.push(s);
      log(`pow default difficulty, 4x slower CPU, run ${i + 1}/${RUNS}: number ${s.number} in ${s.took} ms`);
    }
    const wasmRate = wasm.reduce((a, s) => a + s.number + 1, 0) / (wasm.reduce((a, s) => a + s.took, 0) / 1000);
    const jsRate = js.reduce((a, r) => a + r.hashes, 0) / (js.reduce((a, r) => a + r.took, 0) / 1000);
    return {
      wasm_runs: wasm,
      js_runs: js,
      default_difficulty_runs: solves,
      median: {
        wasm_hashes_per_second: Math.round(wasmRate),
        js_hashes_per_second: Math.round(jsRate),
        ratio_wasm_vs_js: wasmRate / jsRate,
        default_solve_ms_4x: median(solves.map((s) => s.took)),
        default_solve_ms_4x_max: Math.max(...solves.map((s) => s.took)),
      },
    };
  } finally {
    await hard.stop();
    await normal.stop();
  }
}

// ---------------------------------------------------------------- main

const only = arg('only', 'all');
const peerApi = await startPeerApi();
const { dir, site } = makeSite(peerApi.url);
const results = { runs: RUNS, cpu_slowdown: CPU_SLOWDOWN, device: 'Pixel 7', chromium: '' };
try {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  results.chromium = b.version();
  await b.close();
  if (only === 'all' || only === 'ttc') {
    log('time to content (Bantin, Waline, Artalk)');
    results.time_to_content = await benchTimeToContent(site, dir, peerApi.url);
  }
  if (only === 'all' || only === 'phone') {
    log('phone network: time to content and bytes (Bantin, Waline, Artalk)');
    results.phone = await benchPhone(site, dir);
  }
  if (only === 'all' || only === 'lighthouse') {
    log('Lighthouse (mobile) on the demo page and the peers\' pages');
    results.lighthouse = await benchLighthouse(site, dir);
  }
  if (only === 'all' || only === 'comments') {
    log('1,000 comments');
    results.many_comments = await benchManyComments(site, dir);
  }
  if (only === 'all' || only === 'pow') {
    log('proof of work');
    results.pow = await benchPow(site, dir);
  }
} finally {
  await peerApi.close();
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
