import { test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { CommentForm, expect, holdRequests, mount, reachParts, serveTestFiles, watchErrors } from './support';
import { ROOT, freePort } from './server';

// The rating, comments and captchas are a second bundle, loaded after the
// article (xtask/src/dist.rs, src/deferred.rs).
const PARTS = '**/bantin_parts-*';
const isParts = (url: string) => /\/bantin_parts-[0-9a-f]+(_bg\.wasm|\.js)$/.test(url);

test('the rating and comments load after the title, when the reader comes near them', async ({ page }, info) => {
  const errors = watchErrors(page);
  const requested: string[] = [];
  page.on('request', (r) => {
    if (isParts(r.url())) requested.push(r.url());
  });
  // Held until the skeleton has been measured: on a desktop screen the parts
  // are near at once and could replace it before the check below.
  const release = await holdRequests(page, PARTS);
  // The article answered at once, whatever the load on the test server: an
  // article slower than 600 ms (src/boot.rs, REST_AFTER_MS) lets the parts
  // load beside its skeleton, on purpose (article.spec.ts).
  const doc = await page.request.get('/api/v1/articles/ky-anh-2022-11-15');
  expect(doc.ok()).toBe(true);
  const body = await doc.body();
  await page.route('**/api/v1/articles/ky-anh-2022-11-15', (route) =>
    route.fulfill({ body, contentType: 'application/json' }),
  );
  await page.goto('/index.html');
  const article = mount(page, 0);
  await expect(article.locator('h1')).toBeVisible();
  // Their place is kept (headings and the form's size) from the article's first frame.
  await expect(article.locator('.bt-deferred')).toBeAttached();
  const reserved = await article.locator('.bt-deferred').boundingBox();
  expect(reserved!.height).toBeGreaterThan(300);
  if (info.project.name === 'phone') {
    // On a phone they start several screens below the article's top: not fetched yet.
    await page.waitForTimeout(1_000);
    expect(requested).toEqual([]);
  }
  release();
  await reachParts(page);
  await expect.poll(() => requested.length).toBe(2);
  // The wasm was asked for at low priority: it does not take the article's bandwidth.
  await expect(article.locator('.bt-rating-summary')).toHaveText(/^lượt đánh giá: /);
  await expect(article.getByRole('button', { name: 'Gửi bình luận' })).toBeVisible();
  expect(errors).toEqual([]);
});

const isMain = (url: string) => /\/bantin-[0-9a-f]+(_bg\.wasm|\.js)$/.test(url);

test('a page with nothing but comments loads the deferred bundle alone, never the first', async ({ page }) => {
  const errors = watchErrors(page);
  await serveTestFiles(page);
  const asked: string[] = [];
  page.on('request', (r) => asked.push(r.url()));
  const visit = page.waitForRequest((r) => r.method() === 'POST' && /\/api\/v1\/visits/.test(r.url()));
  await page.goto('/e2e/pow-only.html');
  const comments = mount(page, 0);
  await expect(comments.getByRole('button', { name: 'Gửi bình luận' })).toBeVisible();
  await expect(comments.locator('.bt-root')).toHaveAttribute('lang', 'vi');
  await expect(page.locator('[data-bantin]')).toHaveAttribute('data-bantin-ready', '');
  // The page's visit is counted all the same.
  await visit;
  expect(asked.filter(isParts)).toHaveLength(2);
  expect(asked.filter(isMain)).toEqual([]);
  expect(errors).toEqual([]);
});

test('comments without an article beside other parts download beside the first bundle, not after it', async ({ page }) => {
  const errors = watchErrors(page);
  await serveTestFiles(page);
  const partsAsked: number[] = [];
  page.on('request', (r) => {
    if (isParts(r.url())) partsAsked.push(Date.now());
  });
  // The first bundle's wasm held back: the parts are asked for meanwhile.
  let mainDelivered = 0;
  await page.route(/\/bantin-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await new Promise((r) => setTimeout(r, 1_500));
    mainDelivered = Date.now();
    await route.continue();
  });
  // The comments, and the site's counters in a second mount point: that
  // takes the first bundle.
  await page.goto('/e2e/comments-counters.html');
  await expect(mount(page, 0).getByRole('button', { name: 'Gửi bình luận' })).toBeVisible({ timeout: 20_000 });
  await expect(mount(page, 1).locator('.bt-counters')).toBeVisible();
  expect(partsAsked.length).toBeGreaterThanOrEqual(2);
  expect(Math.max(...partsAsked)).toBeLessThan(mainDelivered);
  expect(errors).toEqual([]);
});

test('when the deferred bundle cannot be loaded alone, the first one shows its place with a retry', async ({ page }) => {
  await serveTestFiles(page);
  let failing = true;
  await page.route(PARTS, (route) => (failing ? route.abort('connectionreset') : route.continue()));
  await page.goto('/e2e/pow-only.html');
  const comments = mount(page, 0);
  const alert = comments.getByRole('alert');
  await expect(alert).toContainText('Không tải được phần đánh giá và bình luận');
  failing = false;
  await alert.getByRole('button', { name: 'Thử lại' }).click();
  await expect(comments.getByRole('button', { name: 'Gửi bình luận' })).toBeVisible();
  await expect(comments.getByRole('alert')).toHaveCount(0);
});

test('when the deferred code cannot be loaded, the article stays and a retry loads it', async ({ page }) => {
  let failing = true;
  await page.route(PARTS, (route) => (failing ? route.abort('connectionreset') : route.continue()));
  await page.goto('/index.html');
  const article = mount(page, 0);
  await expect(article.locator('h1')).toBeVisible();
  await article.evaluate((host) => host.shadowRoot?.querySelector('.bt-deferred')?.scrollIntoView());
  const alert = article.getByRole('alert');
  await expect(alert).toContainText('Không tải được phần đánh giá và bình luận');
  await expect(article.locator('h1')).toBeVisible();
  await expect(article.locator('.bt-body p').first()).toBeVisible();
  failing = false;
  await alert.getByRole('button', { name: 'Thử lại' }).click();
  await expect(article.locator('.bt-rating-summary')).toBeVisible();
  await expect(article.getByRole('button', { name: 'Gửi bình luận' })).toBeVisible();
  await expect(article.getByRole('alert')).toHaveCount(0);
});

test('a draft kept in the browser is back at once, wherever the form is', async ({ page }) => {
  await page.addInitScript(() => {
    localStorage.setItem(
      'bantin:draft:ky-anh-2022-11-15',
      JSON.stringify({ author: 'Lan', email: '', body: 'Viết dở trên xe buýt', reply_to: null, queued: false }),
    );
  });
  await page.goto('/index.html');
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  // No scrolling: the parts load as soon as the article is painted.
  await expect(form.body()).toHaveValue('Viết dở trên xe buýt');
  await expect(form.status()).toHaveText('Đã khôi phục bản nháp bạn chưa gửi.');
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});

/**
 * A plain static file server: no API, no precompressed copies, no special headers.
 * `spa`: every unknown path answers index.html with 200, as single-page-app hosts do.
 */
async function staticHost(dir: string, spa = false): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
    '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml',
  };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
    } catch {
      if (spa) res.writeHead(200, { 'content-type': types['.html'] }).end(readFileSync(join(dir, 'index.html')));
      else res.writeHead(404).end('not found');
    }
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${port}`, server };
}

test('dist/ from trunk works on a plain static host', async ({ page }) => {
  const host = await staticHost(join(ROOT, 'dist'));
  try {
    const errors = watchErrors(page);
    await page.goto(`${host.url}/static.html`);
    const article = mount(page, 0);
    await expect(article.locator('h1')).toHaveText(/^Thường trực Thị uỷ Kỳ Anh/);
    await reachParts(page);
    await expect(article.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 12, trung bình: 4,3');
    await expect(article.locator('.bt-comments .bt-notice')).toContainText('chưa kết nối máy chủ bình luận');
    await expect(mount(page, 1).locator('.bt-visits')).toHaveText('2.504.500');
    expect(errors).toEqual([]);
  } finally {
    host.server.close();
  }
});

for (const spa of [false, true]) {
  test(`the demo page made for the API is whole on a static host${spa ? ' that answers every path with a page' : ''}`, async ({ page }) => {
    const host = await staticHost(join(ROOT, 'dist'), spa);
    try {
      const errors = watchErrors(page);
      await page.goto(`${host.url}/index.html`);
      const article = mount(page, 0);
      await expect(article.locator('h1')).toHaveText(/^Thường trực Thị uỷ Kỳ Anh/);
      await reachParts(page);
      // The numbers of the article document, the vote kept in the browser, a note at the form.
      await expect(article.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 12, trung bình: 4,3');
      await article.locator('.bt-rating').getByRole('radio', { name: '4 sao' }).click();
      await expect(article.locator('.bt-rating-yours')).toHaveText('Bạn đã chấm 4 sao.');
      await expect(article.locator('.bt-comments .bt-notice')).toContainText('chưa kết nối máy chủ bình luận');
      const form = new CommentForm(article.locator('.bt-comments'));
      await form.body().fill('Viết khi không có máy chủ.');
      await expect(mount(page, 1).locator('.bt-visits')).toHaveText('2.504.500');
      // No error panel anywhere: the page is in static mode, not broken.
      await expect(page.getByRole('alert')).toHaveCount(0);
      for (const m of [article, mount(page, 1)]) await expect(m.getByRole('alert')).toHaveCount(0);
      await expect(mount(page, 1).locator('.bt-inline-error')).toBeHidden();
      await page.reload();
      await reachParts(page);
      await expect(article.locator('.bt-rating').getByRole('radio', { name: '4 sao' })).toHaveAttribute('aria-checked', 'true');
      await expect(form.body()).toHaveValue('Viết khi không có máy chủ.');
      expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
    } finally {
      host.server.close();
    }
  });
}

/** The page's cumulative layout shift so far (what Lighthouse calls CLS,
 * without its session windows), and what moved, for the failure message. */
async function layoutShift(page: import('@playwright/test').Page): Promise<{ sum: number; moved: string }> {
  return page.evaluate(
    () =>
      new Promise<{ sum: number; moved: string }>((done) => {
        let sum = 0;
        const moved: string[] = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as any[]) {
            if (e.hadRecentInput) continue;
            sum += e.value;
            for (const s of e.sources ?? []) {
              const name = s.node?.className || s.node?.nodeName || '?';
              const [a, b] = [s.previousRect, s.currentRect];
              moved.push(`${Math.round(e.startTime)} ms ${e.value.toFixed(3)} ${name}: y ${a.y} h ${a.height} -> y ${b.y} h ${b.height}`);
            }
          }
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => done({ sum, moved: moved.join('\n') }), 100);
      }),
  );
}

for (const when of ['', ' a slow article', ' on a phone 8x slower']) {
  test(`nothing on the portal page moves while the widget loads${when}`, async ({ page, browserName }) => {
    if (when === ' a slow article') {
      await page.route('**/api/v1/articles/ky-anh-2022-11-15', async (route) => {
        await new Promise((r) => setTimeout(r, 1_500));
        await route.continue();
      });
    }
    if (when === ' on a phone 8x slower') {
      // The article arrives at once but takes longer than the parts' 600 ms
      // wait to mount: the page must keep its reserved space until it is whole.
      test.skip(browserName !== 'chromium');
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
    }
    await page.goto('/index.html');
    await expect(mount(page, 0).locator('h1')).toBeVisible({ timeout: 20_000 });
    await expect(mount(page, 1).locator('.bt-visits')).toBeVisible({ timeout: 20_000 });
    await expect(mount(page, 0).locator('.bt-related')).toBeVisible({ timeout: 20_000 });
    await page.waitForTimeout(500);
    const shift = await layoutShift(page);
    expect(shift.sum, shift.moved).toBeLessThan(0.05);
  });
}
