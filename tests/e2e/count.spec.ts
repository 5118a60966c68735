import { test, type Page, type Route } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, mount, watchErrors } from './support';
import { postComment, SERVER_BIN, serversPerTest } from './server';

// bantin-count.js (public/, docs/embedding.md "Counts on list pages"). Most
// tests make the answers of GET /api/v1/counts here, to try every shape and
// failure; the last one runs against the real server. The pages come from a
// real server (dist/, tests/e2e/pages under /e2e/), only the API call is
// routed (Chromium refuses loopback calls of routed pages).

const start = serversPerTest();

const COUNTS: Record<string, unknown> = {
  'ky-anh-2022-11-15': { comments: 12, views: 2504500, rating: { count: 37, average: 4.27 } },
  'ky-anh-business-party-cells-en': { comments: 0, views: 1834, rating: { count: 3, average: 4.7 } },
  'b.2': { comments: 1, views: 10, rating: { count: 1234, average: 3.05 } },
  c_3: { comments: 5, views: 1000000, rating: { count: 0, average: 0 } },
};

type Answer = (ids: string[]) => { status?: number; body: string } | 'abort';

/** Answers the page's count requests with `answer` (default: COUNTS); returns the ids of each request, in order. */
async function api(page: Page, answer: Answer = (ids) => ({ body: JSON.stringify(pick(ids)) })): Promise<string[][]> {
  const asked: string[][] = [];
  await page.route(
    (u) => u.pathname === '/api/v1/counts',
    async (route: Route) => {
      const ids = new URL(route.request().url()).searchParams.get('ids')!.split(',');
      asked.push(ids);
      const a = answer(ids);
      if (a === 'abort') return route.abort('connectionreset');
      await route.fulfill({
        status: a.status ?? 200,
        contentType: 'application/json',
        headers: { 'cache-control': 'public, max-age=60' },
        body: a.body,
      });
    },
  );
  return asked;
}

function pick(ids: string[]): Record<string, unknown> {
  return Object.fromEntries(ids.filter((id) => id in COUNTS).map((id) => [id, COUNTS[id]]));
}

/** Console errors other than the browser's own line for a failed request. */
const unexpected = (errors: string[]) => errors.filter((e) => !e.includes('Failed to load resource'));

test('the list page: every count in one request, vi-VN numbers', async ({ page, context, baseURL }) => {
  const errors = watchErrors(page);
  // A cookie of the portal's origin is not sent: the counts are public.
  await context.addCookies([{ name: 'bantin_visitor', value: 'x', url: baseURL! }]);
  let cookie: string | undefined = 'not asked';
  const asked: string[][] = [];
  await page.route(
    (u) => u.pathname === '/api/v1/counts',
    async (route) => {
      cookie = (await route.request().allHeaders()).cookie;
      asked.push(new URL(route.request().url()).searchParams.get('ids')!.split(','));
      await route.fulfill({ contentType: 'application/json', body: JSON.stringify(COUNTS) });
    },
  );
  await page.goto('/tin-tuc.html');
  const item = (n: number) => page.locator('.news-item').nth(n).locator('.news-meta');
  await expect(item(0)).toHaveText(/^\s*15\/11\/2022\s+12 bình luận\s+2\.504\.500 lượt xem\s+đánh giá 4,3\/5\s+\(37 lượt\)\s*$/);
  await expect(item(1)).toHaveText(/0 bình luận\s+1\.834 lượt xem\s+đánh giá 4,7\/5\s+\(3 lượt\)/);
  await expect(page.locator('[data-bantin-count]:not([data-bantin-count-state=ok])')).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(asked).toEqual([['ky-anh-2022-11-15', 'ky-anh-business-party-cells-en']]);
  expect(cookie).toBeUndefined();
  expect(errors).toEqual([]);
});

test('five counts of three articles, one a duplicate: one request, each in its kind and language', async ({ page }) => {
  const server = await start();
  const errors = watchErrors(page);
  const asked = await api(page);
  await page.goto(`${server.url}/e2e/count.html`);
  const count = (id: string) => page.locator(`#${id}`);
  await expect(count('a-comments')).toHaveText('12');
  await expect(count('a-views')).toHaveText('2.504.500');
  await expect(count('b-rating')).toHaveText('3,1'); // 3.05, one decimal
  await expect(count('b-votes-en')).toHaveText('1,234'); // lang="en" on an ancestor
  await expect(count('c-views-en')).toHaveText('1,000,000'); // lang="en" on the element
  for (const id of ['a-comments', 'a-views', 'b-rating', 'b-votes-en', 'c-views-en']) {
    await expect(count(id)).toHaveAttribute('data-bantin-count-state', 'ok');
  }
  await page.waitForTimeout(300);
  expect(asked).toEqual([['b.2', 'c_3', 'ky-anh-2022-11-15']]);
  expect(await page.evaluate(() => Object.keys(window).filter((k) => k.startsWith('bantin')))).toEqual(['bantinCount']);

  // <html lang="en">: English numbers everywhere.
  await page.goto(`${server.url}/e2e/count.html?lang=en`);
  await expect(count('a-views')).toHaveText('2,504,500');
  await expect(count('b-rating')).toHaveText('3.1');
  await expect(count('a-comments')).toHaveText('12');
  expect(asked).toHaveLength(2);
  expect(errors).toEqual([]);
});

const failures: [string, Answer][] = [
  ['a 500', () => ({ status: 500, body: '{"error":{"code":"internal","message":"storage"}}' })],
  ['a 400', () => ({ status: 400, body: '{"error":{"code":"invalid_request","message":"ids"}}' })],
  ['no network', () => 'abort'],
  ['malformed JSON', () => ({ body: '{"ky-anh-2022-11-15": {"comments": 1' })],
  ['JSON of another shape', () => ({ body: '[1, 2, 3]' })],
];
for (const [what, answer] of failures) {
  test(`${what}: every count keeps its text and says error`, async ({ page }) => {
    const server = await start();
    const errors = watchErrors(page);
    const asked = await api(page, answer);
    await page.goto(`${server.url}/e2e/count.html`);
    const all = page.locator('[data-bantin-count]');
    await expect(page.locator('[data-bantin-count-state=error]')).toHaveCount(5);
    await expect(all).toHaveText(['…', '…', '…', '…', '…']);
    expect(asked).toHaveLength(1);
    expect(unexpected(errors)).toEqual([]);
  });
}

test('a missing id, a wrong value, an unknown kind and a bad id fail alone', async ({ page }) => {
  const server = await start();
  const errors = watchErrors(page);
  const asked = await api(page, () => ({
    body: JSON.stringify({
      'ky-anh-2022-11-15': { comments: 12, views: '<b>2504500</b>', rating: null },
      c_3: COUNTS.c_3,
    }),
  }));
  await page.goto(`${server.url}/e2e/count.html`);
  await page.evaluate(() => {
    for (const [id, kind] of [['c_3', 'likes'], ['bad id!', 'comments'], ['constructor', 'comments']]) {
      const el = document.createElement('span');
      el.dataset.bantinCount = id;
      el.dataset.kind = kind;
      el.textContent = '…';
      document.body.append(el);
    }
    return (window as any).bantinCount.refresh();
  });
  const state = (sel: string) => page.locator(sel).getAttribute('data-bantin-count-state');
  await expect(page.locator('#a-comments')).toHaveText('12');
  await expect(page.locator('#c-views-en')).toHaveText('1,000,000');
  expect(await state('#a-comments')).toBe('ok');
  // The views are not a number, b.2 is not in the answer, "likes" is no kind.
  for (const sel of ['#a-views', '#b-rating', '#b-votes-en', '[data-kind=likes]', '[data-bantin-count="bad id!"]', '[data-bantin-count=constructor]']) {
    await expect(page.locator(sel)).toHaveAttribute('data-bantin-count-state', 'error');
    await expect(page.locator(sel)).toHaveText('…');
  }
  // The bad id was never sent; "constructor" was, on its own (the page's first answer is known).
  expect(asked).toEqual([['b.2', 'c_3', 'ky-anh-2022-11-15'], ['constructor']]);
  expect(unexpected(errors)).toEqual([]);
});

test('elements added later: refresh() asks only for the new articles, once', async ({ page }) => {
  const server = await start();
  const errors = watchErrors(page);
  const asked = await api(page);
  await page.goto(`${server.url}/e2e/count.html`);
  await expect(page.locator('[data-bantin-count-state=ok]')).toHaveCount(5);
  // The next page of an infinite scroll: an article already shown, a new one twice.
  await page.evaluate(() => {
    const ul = document.querySelector('ul')!;
    for (const [id, kind] of [['ky-anh-2022-11-15', 'votes'], ['ky-anh-business-party-cells-en', 'views'], ['ky-anh-business-party-cells-en', 'comments']]) {
      const li = document.createElement('li');
      li.innerHTML = `<span class="later" data-bantin-count="${id}" data-kind="${kind}">…</span>`;
      ul.append(li);
    }
  });
  // Not seen until the portal says so.
  await page.waitForTimeout(200);
  await expect(page.locator('.later').first()).toHaveText('…');
  await page.evaluate(() => (window as any).bantinCount.refresh());
  await expect(page.locator('.later')).toHaveText(['37', '1.834', '0']);
  expect(asked).toEqual([['b.2', 'c_3', 'ky-anh-2022-11-15'], ['ky-anh-business-party-cells-en']]);
  // Nothing new: no request at all.
  await page.evaluate(() => (window as any).bantinCount.refresh());
  expect(asked).toHaveLength(2);
  expect(errors).toEqual([]);
});

test('a failed count is asked for again when the portal clears its state', async ({ page }) => {
  const server = await start();
  const errors = watchErrors(page);
  let fail = true;
  const asked = await api(page, (ids) => (fail ? { status: 503, body: '' } : { body: JSON.stringify(pick(ids)) }));
  await page.goto(`${server.url}/e2e/count.html`);
  await expect(page.locator('[data-bantin-count-state=error]')).toHaveCount(5);
  fail = false;
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('[data-bantin-count-state=error]')) el.removeAttribute('data-bantin-count-state');
    return (window as any).bantinCount.refresh();
  });
  await expect(page.locator('[data-bantin-count-state=ok]')).toHaveCount(5);
  await expect(page.locator('#a-views')).toHaveText('2.504.500');
  expect(asked).toHaveLength(2);
  expect(unexpected(errors)).toEqual([]);
});

test('more than 100 articles: requests of 100 ids; each API base its own', async ({ page }) => {
  const server = await start();
  const errors = watchErrors(page);
  const asked = await api(page, (ids) => ({ body: JSON.stringify(Object.fromEntries(ids.map((id) => [id, { comments: 1, views: 2, rating: { count: 3, average: 4 } }]))) }));
  await page.goto(`${server.url}/e2e/count.html`);
  await expect(page.locator('[data-bantin-count-state=ok]')).toHaveCount(5);
  // Another base, given per element (absolute, trailing slash): its own request.
  await page.route('http://api.example/**', (route) =>
    route.fulfill({
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': '*' },
      body: JSON.stringify({ x: { comments: 7, views: 0, rating: { count: 0, average: 0 } } }),
    }),
  );
  const other: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith('http://api.example/')) other.push(r.url());
  });
  await page.evaluate(() => {
    for (let i = 0; i < 150; i++) {
      const el = document.createElement('span');
      el.dataset.bantinCount = `many-${String(i).padStart(3, '0')}`;
      el.className = 'many';
      document.body.append(el);
    }
    const el = document.createElement('span');
    el.dataset.bantinCount = 'x';
    el.dataset.api = 'http://api.example/api/v1/';
    el.id = 'other';
    document.body.append(el);
    return (window as any).bantinCount.refresh();
  });
  await expect(page.locator('.many[data-bantin-count-state=ok]')).toHaveCount(150);
  await expect(page.locator('#other')).toHaveText('7');
  expect(asked.slice(1).map((ids) => ids.length)).toEqual([100, 50]);
  expect(new Set(asked.slice(1).flat()).size).toBe(150);
  expect(other).toEqual(['http://api.example/api/v1/counts?ids=x']);
  expect(errors).toEqual([]);
});

test('against the real server: starting numbers set with the CLI show in the widget and on the list page', async ({ page }) => {
  test.slow();
  const errors = watchErrors(page);
  const server = await start(['--captcha', 'off', '--min-submit-ms', '0']);
  for (const body of ['Ý kiến một', 'Ý kiến hai']) await postComment(server, body);
  // A portal moving to Bantin keeps what its old counter showed.
  const db = join(server.dir, 'bantin.db');
  const cli = (args: string[]) => execFileSync(SERVER_BIN, ['counts', ...args, '--db', db], { encoding: 'utf8' });
  expect(cli(['set', '--site-visits', '2504500', '--article', 'ky-anh-2022-11-15', '--views', '1200'])).toMatch(/2504500/);
  expect(cli(['show'])).toMatch(/1200/);

  await page.goto(`${server.url}/index.html`);
  // This reader's visit is the first live one: the old total plus one.
  await expect(mount(page, 1).locator('.bt-visits')).toHaveText('2.504.501');
  await page.goto(`${server.url}/tin-tuc.html`);
  const views = page.locator('[data-bantin-count="ky-anh-2022-11-15"][data-kind="views"]');
  await expect(views).toHaveAttribute('data-bantin-count-state', 'ok');
  // 1,200 brought over, plus this session's view of the article.
  await expect(views).toHaveText('1.201');
  await expect(page.locator('[data-bantin-count="ky-anh-2022-11-15"][data-kind="comments"]')).toHaveText('2');
  const r = await fetch(`${server.url}/api/v1/counts?ids=ky-anh-2022-11-15`);
  expect(r.headers.get('cache-control')).toMatch(/max-age=60/);
  const etag = r.headers.get('etag')!;
  expect((await fetch(`${server.url}/api/v1/counts?ids=ky-anh-2022-11-15`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  expect(errors).toEqual([]);
});
