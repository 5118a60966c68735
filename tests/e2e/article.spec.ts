import { test } from '@playwright/test';
import { expect, holdRequests, mount, reachParts, screenshot, watchErrors } from './support';
import { serversPerTest } from './server';

const ARTICLE = '**/api/v1/articles/ky-anh-2022-11-15';
const startServer = serversPerTest();

test('the demo page shows the Vietnamese article with captions, rating and counters', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/index.html');
  const article = mount(page, 0);
  await expect(article.locator('h1')).toHaveText(/^Thường trực Thị uỷ Kỳ Anh làm việc/);
  await expect(article.locator('.bt-category')).toHaveText('Xây dựng Đảng');
  await expect(article.locator('.bt-published time')).toHaveText('15/11/2022 17:30');
  const lead = article.locator('.bt-summary');
  await expect(lead).toHaveText(/^Chiều ngày 15\/11\/2022, Thường trực Thị uỷ Kỳ Anh/);
  expect(await lead.evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');
  const captions = article.locator('figcaption');
  await expect(captions).toHaveCount(3);
  await expect(captions.nth(1)).toHaveText(/^Đồng chí Nguyễn Anh Ngọc – UV BTV, Trưởng Ban Tổ chức/);
  await expect(captions.nth(2)).toHaveText('Đồng chí Đặng Văn Thành – TUV, Bí thư Thị uỷ Kỳ Anh kết luận buổi làm việc');
  // Images reserve their space before loading: width/height attributes from the JSON.
  const img = article.locator('figure img').first();
  await expect(img).toHaveAttribute('width', '800');
  await expect(img).toHaveAttribute('height', '533');
  await expect(img).toHaveAttribute('loading', 'lazy');
  await expect(article.locator('blockquote')).toHaveCount(4);
  // Live numbers from the API, in vi-VN form, once the reader comes near them.
  await reachParts(page);
  await expect(article.locator('.bt-rating-summary')).toHaveText(/^lượt đánh giá: [\d.]+, trung bình: \d,\d$/);
  await expect(article.locator('.bt-related a').first()).toHaveAttribute('href', /\/en\.html$/);
  await expect(article.getByRole('button', { name: 'Gửi bình luận' })).toBeVisible();
  // The parts are spaced apart, whichever element each was mounted into.
  const gap = async (above: string, below: string) => {
    const a = await article.locator(above).boundingBox();
    const b = await article.locator(below).boundingBox();
    return b!.y - (a!.y + a!.height);
  };
  expect(await gap('.bt-article', '.bt-rating')).toBeGreaterThanOrEqual(20);
  expect(await gap('.bt-rating', '.bt-comments')).toBeGreaterThanOrEqual(20);
  // ...but the first part of a mount point starts at its top.
  const sidebarBox = await mount(page, 1).boundingBox();
  const countersBox = await mount(page, 1).locator('.bt-counters').boundingBox();
  expect(countersBox!.y - sidebarBox!.y).toBeLessThan(4);

  const sidebar = mount(page, 1);
  await expect(sidebar.locator('.bt-visits')).toHaveText(/^[1-9][\d.]*$/);
  await expect(sidebar.locator('.bt-online')).toHaveText(/^[1-9]\d*$/);
  await expect(sidebar.locator('h1')).toHaveCount(0);

  // Images are loaded once scrolled to; none is broken.
  for (const fig of await article.locator('figure img').all()) {
    await fig.scrollIntoViewIfNeeded();
    await expect.poll(() => fig.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, info, 'demo-vi');
  expect(errors).toEqual([]);
});

test('the English demo page uses English labels and number formats', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/en.html');
  const article = mount(page, 0);
  await expect(article.locator('h1')).toHaveText('Ky Anh town leaders meet Party cells in local businesses');
  await expect(article.locator('.bt-published')).toHaveText('Published 15 Nov 2022, 17:30');
  await expect(article.locator('.bt-body h2')).toHaveText('Difficulties raised');
  await expect(article.locator('.bt-html td').nth(3)).toHaveText('133');
  await reachParts(page);
  await expect(article.locator('.bt-rating-summary')).toHaveText(/^[\d,]+ ratings, average \d\.\d$/);
  await expect(article.getByRole('button', { name: 'Post comment' })).toBeVisible();
  await expect(mount(page, 1).locator('.bt-visits')).toHaveText(/^[1-9][\d,]*$/);
  await expect(mount(page, 1).locator('dt').nth(1)).toHaveText('Online now:');
  await screenshot(page, info, 'demo-en');
  expect(errors).toEqual([]);
});

test('the static page works without an API: numbers from the article JSON', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/static.html');
  const article = mount(page, 0);
  await expect(article.locator('h1')).toHaveText(/^Thường trực Thị uỷ Kỳ Anh/);
  await reachParts(page);
  await expect(article.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 12, trung bình: 4,3');
  await expect(mount(page, 1).locator('.bt-visits')).toHaveText('2.504.500');
  await expect(mount(page, 1).locator('.bt-online')).toHaveText('3');
  await expect(article.locator('.bt-comments .bt-notice')).toContainText('chưa kết nối máy chủ bình luận');
  await screenshot(page, info, 'static');
  expect(errors).toEqual([]);
});

test('the page head describes the article for search engines (NewsArticle JSON-LD, no rating)', async ({ page }) => {
  await page.goto('/index.html');
  await expect(mount(page, 0).locator('h1')).toBeVisible();
  const script = page.locator('head script[type="application/ld+json"][data-bantin-article="ky-anh-2022-11-15"]');
  await expect(script).toHaveCount(1);
  const ld = JSON.parse((await script.textContent())!);
  expect(ld['@type']).toBe('NewsArticle');
  expect(ld.headline).toMatch(/^Thường trực Thị uỷ Kỳ Anh làm việc/);
  expect(ld.datePublished).toMatch(/^2022-11-15T/);
  expect(ld.publisher).toEqual({
    '@type': 'Organization',
    name: 'UBND thị xã Kỳ Anh',
    logo: { '@type': 'ImageObject', url: new URL('/images/favicon.svg', page.url()).href },
  });
  expect(ld.mainEntityOfPage).toBe(page.url());
  expect(ld.image.length).toBeGreaterThan(0);
  expect(ld.aggregateRating).toBeUndefined();
});

test('data-jsonld="off" leaves the page head alone', async ({ page }) => {
  // Set once the markup is parsed, before the widget (a deferred module) starts.
  await page.addInitScript(() =>
    document.addEventListener('readystatechange', () => {
      if (document.readyState === 'interactive')
        document.querySelectorAll('[data-bantin]').forEach((m) => m.setAttribute('data-jsonld', 'off'));
    }),
  );
  await page.goto('/index.html');
  await expect(mount(page, 0).locator('h1')).toBeVisible();
  await expect(mount(page, 0).locator('.bt-related')).toBeVisible();
  await expect(page.locator('script[type="application/ld+json"]')).toHaveCount(0);
});

test('a skeleton shows while the article loads', async ({ page }, info) => {
  const release = await holdRequests(page, ARTICLE);
  await page.goto('/index.html');
  // The article's skeleton (the comment list has one of its own).
  const skeleton = mount(page, 0).locator('.bt-skeleton[role=status]');
  await expect(skeleton).toBeVisible();
  await expect(skeleton).toHaveAttribute('role', 'status');
  await expect(skeleton).toContainText('Đang tải bài viết');
  // The other parts do not wait for a slow article: the reader can write.
  await expect(mount(page, 0).locator('textarea')).toBeVisible();
  await expect(mount(page, 0).locator('.bt-rating')).toBeVisible();
  await screenshot(page, info, 'skeleton');
  release();
  await expect(mount(page, 0).locator('h1')).toBeVisible();
  await expect(skeleton).toHaveCount(0);
});

test('the article\'s skeleton is only built when the article is slow', async ({ page }) => {
  // When the article was asked for, and when its skeleton first existed.
  await page.addInitScript(() => {
    const times: { asked?: number; skeleton?: number } = {};
    (window as unknown as { times: typeof times }).times = times;
    const fetch = window.fetch;
    window.fetch = function (input: RequestInfo | URL, init?: RequestInit) {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (times.asked === undefined && url.includes('/articles/ky-anh-2022-11-15')) times.asked = performance.now();
      return fetch.call(this, input, init);
    };
    const tick = () => {
      const root = document.querySelector('[data-bantin]')?.shadowRoot;
      if (root?.querySelector('.bt-skeleton-article')) times.skeleton = performance.now();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const release = await holdRequests(page, ARTICLE);
  await page.goto('/index.html');
  await expect(mount(page, 0).locator('.bt-skeleton-article')).toBeVisible();
  const times = await page.evaluate(() => (window as unknown as { times: { asked?: number; skeleton?: number } }).times);
  expect(times.asked).toBeDefined();
  expect(times.skeleton! - times.asked!).toBeGreaterThanOrEqual(150);
  release();
  await expect(mount(page, 0).locator('h1')).toBeVisible();
  await expect(mount(page, 0).locator('.bt-skeleton-article')).toHaveCount(0);
});

test('the article is painted before the rating, comments and counters are built', async ({ page }) => {
  // The frame in which each first exists inside the widget's shadow root.
  await page.addInitScript(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { seen: typeof seen }).seen = seen;
    let frame = 0;
    const tick = () => {
      frame += 1;
      const root = document.querySelector('[data-bantin]')?.shadowRoot;
      for (const [name, selector] of [['title', 'h1'], ['rating', '.bt-rating'], ['form', 'textarea']]) {
        if (seen[name] === undefined && root?.querySelector(selector)) seen[name] = frame;
      }
      if (Object.keys(seen).length < 3) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.goto('/index.html');
  await reachParts(page);
  await expect(mount(page, 0).locator('textarea')).toBeVisible();
  const seen = await page.evaluate(() => (window as unknown as { seen: Record<string, number> }).seen);
  expect(seen.title).toBeLessThan(seen.rating);
  expect(seen.title).toBeLessThan(seen.form);
});

type Failure = { name: string; message: RegExp; fail: (route: import('@playwright/test').Route) => Promise<void> };

const failures: Failure[] = [
  { name: 'network', message: /Không kết nối được tới máy chủ/, fail: (r) => r.abort('connectionrefused') },
  { name: 'http-404', message: /Không tìm thấy bài viết \(lỗi 404\)/, fail: (r) => r.fulfill({ status: 404, body: 'Not Found' }) },
  { name: 'http-500', message: /Máy chủ đang gặp sự cố \(mã lỗi 500\)/, fail: (r) => r.fulfill({ status: 500, body: 'oops' }) },
  {
    name: 'malformed-json',
    message: /Dữ liệu bài viết bị hỏng/,
    fail: (r) => r.fulfill({ contentType: 'application/json', body: '{"id": "ky-anh", "title": "Cắt giữa' }),
  },
  {
    name: 'html-instead-of-json',
    message: /Dữ liệu bài viết bị hỏng/,
    fail: (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><h1>Trang lỗi của proxy</h1>' }),
  },
  {
    name: 'not-an-article',
    message: /không phải là một bài viết hợp lệ/,
    fail: (r) => r.fulfill({ contentType: 'application/json', body: '{"items": [], "next": null}' }),
  },
];

for (const f of failures) {
  test(`error "${f.name}" is explained and retry recovers`, async ({ page }, info) => {
    let failing = true;
    await page.route(ARTICLE, (route) => (failing ? f.fail(route) : route.continue()));
    // Without a data-static stand-in (index.html has one: it would be shown instead).
    const server = await startServer();
    await page.goto(`${server.url}/e2e/api-only.html`);
    const article = mount(page, 0);
    const alert = article.getByRole('alert');
    await expect(alert).toContainText('Không tải được bài viết');
    await expect(alert).toContainText(f.message);
    // The sidebar's counters do not depend on the article: they still show.
    await expect(mount(page, 1).locator('.bt-visits')).toHaveText(/^[1-9]/);
    if (f.name === 'network') await screenshot(page, info, 'error-network');

    failing = false;
    await article.getByRole('button', { name: 'Thử lại' }).click();
    await expect(article.locator('h1')).toHaveText(/^Thường trực Thị uỷ/);
    await expect(article.getByRole('alert')).toHaveCount(0);
  });
}
