import { test } from '@playwright/test';
import { expect, mount, watchErrors } from './support';
import { serversPerTest } from './server';

// "Lượt xem" in the article header (issue 14, item 2): the page's visits name
// its article; the server counts a view once per browser session per article.

const start = serversPerTest();

test('views: counted once per session, shown in the header without moving it', async ({ page, browser }) => {
  const server = await start();
  const errors = watchErrors(page);
  const visits: Record<string, string>[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/visits') && r.method() === 'POST') visits.push(JSON.parse(r.postData() ?? '{}'));
  });
  await page.goto(`${server.url}/index.html`);
  const views = mount(page, 0).locator('.bt-meta .bt-views');
  await expect(views).toHaveText('Lượt xem: 1');
  // One visit for the page's two mount points (article and sidebar counters),
  // naming the article from the first.
  await page.waitForTimeout(500);
  expect(visits).toHaveLength(1);
  expect(visits[0].article_id).toBe('ky-anh-2022-11-15');
  await expect(mount(page, 1).locator('.bt-visits')).toHaveText('1');

  // The same session: not counted again.
  await page.reload();
  await expect(views).toHaveText('Lượt xem: 1');

  // Another reader.
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(`${server.url}/index.html`);
  await expect(mount(second, 0).locator('.bt-views')).toHaveText('Lượt xem: 2');
  await other.close();
  expect(errors).toEqual([]);
});

test('views in English, and a reserved place on the meta line', async ({ page }) => {
  const server = await start();
  await page.goto(`${server.url}/en.html`);
  const meta = mount(page, 0).locator('.bt-meta');
  const views = meta.locator('.bt-views');
  await expect(views).toHaveText('Views: 1');
  // A seven-digit count fits the place kept for it: nothing on the line moves.
  const before = await meta.boundingBox();
  const width = await views.evaluate((el) => {
    const box = el.getBoundingClientRect().width;
    el.textContent = 'Lượt xem: 8.888.888';
    return [box, el.getBoundingClientRect().width];
  });
  expect(width[1]).toBeLessThanOrEqual(width[0] + 0.5);
  expect(await meta.boundingBox()).toEqual(before);
});

test('static mode shows no views', async ({ page }) => {
  const server = await start();
  await page.goto(`${server.url}/static.html`);
  await expect(mount(page, 0).locator('.bt-title')).toBeVisible();
  await expect(mount(page, 0).locator('.bt-meta')).toBeVisible();
  await expect(mount(page, 0).locator('.bt-views')).toHaveCount(0);
});
