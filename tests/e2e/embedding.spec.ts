import { test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, mount, serveTestFiles, watchErrors, reachParts } from './support';
import { TestServer } from './server';

const CDN = 'https://cdn.bantin.test/bantin';
const TYPES: Record<string, string> = { js: 'text/javascript', wasm: 'application/wasm' };

let server: TestServer | undefined;
test.afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

test('a portal on another origin with hostile globals loads the widget from a CDN', async ({ page }) => {
  server = await TestServer.start();
  const dist = join(server.dir, 'dist');
  const fromCdn: string[] = [];
  // The CDN: serves dist/ with the headers docs/embedding.md asks for.
  await page.route(`${CDN}/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.replace('/bantin/', '');
    fromCdn.push(name);
    if (!/^[a-z0-9_-]+\.(js|wasm)$/.test(name)) return route.fulfill({ status: 404 });
    await route.fulfill({
      body: readFileSync(join(dist, name)),
      headers: { 'content-type': TYPES[name.split('.').pop()!], 'access-control-allow-origin': '*' },
    });
  });
  const errors = watchErrors(page);
  await page.goto(`${server.url}/e2e/hostile-globals.html?cdn=${encodeURIComponent(CDN)}`);
  await reachParts(page);
  const w = mount(page);
  await expect(w.locator('h1')).toHaveText('Ky Anh town leaders meet Party cells in local businesses');
  await expect(w.locator('.bt-rating-summary')).toHaveText('0 ratings, average 0.0');
  await expect(w.locator('.bt-visits')).toHaveText(/^[1-9][\d,]*$/);
  await expect(w.getByRole('button', { name: 'Post comment' })).toBeVisible();
  await w.getByRole('radio', { name: '5 stars' }).click();
  await expect.poll(async () => (await (await page.request.get(`${server!.url}/api/v1/articles/ky-anh-business-party-cells-en/rating`)).json()).count).toBe(1);

  const after = await page.evaluate(() => ({
    bantin: (window as any).Bantin,
    added: Object.getOwnPropertyNames(window).filter((n) => !(window as any).__beforeBantin.includes(n)),
  }));
  // The portal's globals are untouched and the widget adds none of its own.
  expect(after.bantin).toEqual({ version: 'the portal’s own Bantin' });
  expect(after.added).toEqual(['__beforeBantin']);
  // Entry, glue and wasm all came from the CDN origin.
  expect(fromCdn.some((n) => n === 'bantin.js')).toBe(true);
  expect(fromCdn.some((n) => n.endsWith('_bg.wasm'))).toBe(true);
  expect(errors).toEqual([]);
});

test('a strict Content-Security-Policy needs no inline script or style', async ({ page }) => {
  server = await TestServer.start();
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as any).__violations.push(`${e.violatedDirective}: ${e.blockedURI}`),
    );
  });
  await page.goto(`${server.url}/e2e/csp.html`);
  await reachParts(page);
  const w = mount(page, 0);
  await expect(w.locator('h1')).toHaveText(/^Thường trực Thị uỷ Kỳ Anh/);
  await expect(mount(page, 1).locator('.bt-visits')).toHaveText(/^[1-9][\d,]*$/);
  // The widget's CSS applies: constructed stylesheets are not inline styles.
  const styles = await w.locator('.bt-button').first().evaluate((b) => {
    const s = getComputedStyle(b);
    return { bg: s.backgroundColor, minHeight: s.minHeight, radius: s.borderTopLeftRadius };
  });
  expect(styles).toEqual({ bg: 'rgb(179, 38, 30)', minHeight: '44px', radius: '8px' });
  expect(await w.locator('.bt-star').first().evaluate((s) => getComputedStyle(s).fontSize)).toBe('30px');
  // The code captcha draws on its canvas, and a vote reaches the API.
  await w.getByRole('radio', { name: '3 sao' }).click();
  await expect(w.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 1, trung bình: 3,0');
  await expect.poll(async () => (await (await page.request.get(`${server!.url}/api/v1/articles/ky-anh-2022-11-15/rating`)).json()).count).toBe(1);
  expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
  expect(errors).toEqual([]);
});

for (const how of ['WebAssembly is missing', 'the wasm download fails'] as const) {
  test(`when ${how}, each mount point links to its article`, async ({ page }) => {
    const warnings: string[] = [];
    page.on('console', (m) => warnings.push(m.text()));
    await serveTestFiles(page);
    if (how === 'WebAssembly is missing') {
      await page.addInitScript(() => {
        delete (window as any).WebAssembly;
      });
    } else {
      await page.route('**/*.wasm', (r) => r.abort());
    }
    await page.goto('/e2e/fallback.html');
    await reachParts(page);
    const note = (id: string) => page.locator(`#${id} [role=note]`);
    await expect(note('vi')).toHaveText('Không hiển thị được nội dung này trên trình duyệt của bạn. Mở bài viết');
    await expect(note('vi').getByRole('link', { name: 'Mở bài viết' })).toHaveAttribute(
      'href', /^http:\/\/127\.0\.0\.1:\d+\/articles\/ky-anh-2022-11-15\.json$/,
    );
    // data-lang picks the language; data-fallback-href wins over data-article.
    await expect(note('en')).toHaveText('This content could not be shown in your browser. Open the article');
    await expect(note('en').getByRole('link')).toHaveAttribute('href', 'https://portal.example/tin/ky-anh-party-cells.html');
    await expect(note('by-id').getByRole('link')).toHaveAttribute('href', /\/api\/v1\/articles\/ky%20anh%2F1$/);
    // Nothing to link to: the message alone. A javascript: URL is never a link.
    await expect(note('counters')).toHaveText('Không hiển thị được nội dung này trên trình duyệt của bạn.');
    await expect(note('evil')).toHaveText('This content could not be shown in your browser.');
    await expect(page.locator('[data-bantin] a')).toHaveCount(3);
    // In a shadow root, as text: the portal's light DOM is left alone.
    expect(await page.evaluate(() => [...document.querySelectorAll('[data-bantin]')].map((e) => e.childElementCount + (e.shadowRoot ? 's' : '-')))).toEqual(['0s', '0s', '0s', '0s', '0s']);
    expect(warnings.some((w) => w.startsWith('Bantin could not start'))).toBe(true);
  });
}

test('a page without the head snippet: bantin.js starts the article with the code, and it is fetched once', async ({ page }) => {
  server = await TestServer.start();
  const errors = watchErrors(page);
  const resources = () =>
    page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => ({
        path: new URL(e.name).pathname,
        initiator: e.initiatorType,
        start: e.startTime,
        end: e.responseEnd,
      })),
    );
  // The code takes a second to arrive: the document does not wait for it.
  await page.route(/\/bantin-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await new Promise((r) => setTimeout(r, 1000));
    await route.continue();
  });
  // embed-hostile.html has no <link rel="preload"> of its article.
  await page.goto(`${server.url}/embed-hostile.html`);
  await expect(mount(page).locator('h1')).toBeVisible();
  let seen = await resources();
  const doc = seen.filter((r) => r.path === '/articles/ky-anh-2022-11-15.json');
  expect(doc).toHaveLength(1);
  expect(doc[0].initiator).toBe('link');
  const wasm = seen.find((r) => /^\/bantin-[0-9a-f]+_bg\.wasm$/.test(r.path))!;
  expect(doc[0].start).toBeLessThan(wasm.end);

  // A page that preloads the API's document itself gets no second preload.
  await page.unroute(/\/bantin-[0-9a-f]+_bg\.wasm$/);
  await page.goto(`${server.url}/index.html`);
  await expect(mount(page).locator('h1')).toBeVisible();
  await expect(page.locator('link[rel=preload][href$="/articles/ky-anh-2022-11-15"]')).toHaveCount(1);
  seen = await resources();
  expect(seen.filter((r) => r.path === '/api/v1/articles/ky-anh-2022-11-15')).toHaveLength(1);
  expect(errors).toEqual([]);
});

test('bantin.js reads data-parts as the widget does: a no-break space is no separator, so a refused mount point gets no preload', async ({ page }) => {
  server = await TestServer.start();
  const body = (parts: string) =>
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>t</title></head><body>` +
    `<div data-bantin data-article="/articles/ky-anh-2022-11-15.json" data-parts="${parts}"></div>` +
    `<script type="module" src="/bantin.js"></script></body></html>`;
  await page.route(/\/parts-(nbsp|ascii)\.html$/, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: body(route.request().url().endsWith('nbsp.html') ? 'article\u00a0rating' : 'article\trating') }),
  );
  const preloads = () => page.locator('link[rel=preload][href$="/articles/ky-anh-2022-11-15.json"]');

  await page.goto(`${server.url}/parts-nbsp.html`);
  await expect(mount(page).getByRole('alert')).toContainText('data-parts có phần không xác định: “article\u00a0rating”');
  await expect(preloads()).toHaveCount(0);
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/articles/')).length);
  expect(fetched).toBe(0);

  // An ASCII tab separates, on both sides: preloaded once, and the article shows.
  await page.goto(`${server.url}/parts-ascii.html`);
  await expect(mount(page).locator('h1')).toBeVisible();
  await expect(preloads()).toHaveCount(1);
});
