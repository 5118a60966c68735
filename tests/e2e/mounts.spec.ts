import { test, type Page } from '@playwright/test';
import { expect, mount, serveTestFiles, watchErrors, screenshot, reachParts } from './support';

test('several mount points on one page work independently', async ({ page }, info) => {
  const errors = watchErrors(page);
  await serveTestFiles(page);
  await page.goto('/e2e/many-mounts.html');
  await reachParts(page);
  const at = (id: string) => page.locator(`#${id}`);

  await expect(at('vi').locator('h1')).toHaveText(/^Thường trực Thị uỷ Kỳ Anh/);
  await expect(at('vi').locator('.bt-rating')).toHaveCount(0);
  await expect(at('en').locator('.bt-rating-summary')).toHaveText('3 ratings, average 4.7');
  await expect(at('en').locator('.bt-visits')).toHaveText('2,504,500');
  await expect(at('en').locator('h1')).toHaveCount(0);
  await expect(at('gone').getByRole('alert')).toContainText('lỗi 404');
  await expect(at('bad-part').getByRole('alert')).toContainText('data-parts có phần không xác định: “video”');
  await expect(at('bad-lang').getByRole('alert')).toContainText('data-lang có ngôn ngữ không hỗ trợ: “fr”');
  await expect(at('no-article').getByRole('alert')).toContainText('The data-article attribute');
  // Each mount point renders inside its own shadow root; nothing leaks into the page.
  expect(await page.evaluate(() => document.querySelectorAll('h1, .bt-root').length)).toBe(0);
  // One sheet each; the rating (a deferred part) brings a second.
  const roots = await page.evaluate(() =>
    [...document.querySelectorAll('[data-bantin]')].map((e) => (e.shadowRoot?.querySelector('style') ? -1 : e.shadowRoot?.adoptedStyleSheets.length)),
  );
  expect(roots).toEqual([1, 2, 1, 1, 1, 1]);

  // Retrying the failed one does not disturb the others.
  await at('gone').getByRole('button', { name: 'Thử lại' }).click();
  await expect(at('gone').getByRole('alert')).toContainText('lỗi 404');
  await expect(at('vi').locator('h1')).toBeVisible();
  await screenshot(page, info, 'many-mounts');
  // The only console errors are the 404s we asked for.
  expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
});

/** Appends a mount point (inside a wrapper, as a portal's script would) with these attributes. */
async function addMount(page: Page, id: string, attributes: Record<string, string>) {
  await page.evaluate(
    ([id, attributes]) => {
      const wrapper = document.createElement('section');
      const host = document.createElement('div');
      host.id = id;
      host.setAttribute('data-bantin', '');
      for (const [name, value] of Object.entries(attributes)) host.setAttribute(name, value);
      wrapper.append(host);
      document.body.append(wrapper);
    },
    [id, attributes] as const,
  );
}

test('mount points the page adds after the start are mounted as they appear', async ({ page }) => {
  const errors = watchErrors(page);
  await serveTestFiles(page);
  await page.goto('/e2e/many-mounts.html');
  await expect(page.locator('#vi h1')).toHaveText(/^Thường trực Thị uỷ Kỳ Anh/);
  await addMount(page, 'later', { 'data-article': '/articles/ky-anh-business-party-cells-en.json', 'data-lang': 'en', 'data-parts': 'article' });
  await expect(page.locator('#later h1')).toHaveText('Ky Anh town leaders meet Party cells in local businesses');
  await addMount(page, 'later-bad', { 'data-article': '/articles/ky-anh-2022-11-15.json', 'data-parts': 'video' });
  await expect(page.locator('#later-bad').getByRole('alert')).toContainText('data-parts có phần không xác định: “video”');
  // Each mounted once: one shadow root with its own root element.
  expect(await page.evaluate(() => document.querySelector('#later')!.shadowRoot!.querySelectorAll('.bt-root').length)).toBe(1);
  // A page script that re-syncs the element's attributes from fresh HTML
  // (morphdom and the like) drops the mark; the widget stays the only one.
  await page.evaluate(() => {
    document.querySelector('#later')!.removeAttribute('data-bantin-mounted');
    document.body.append(document.createElement('hr'));
  });
  await page.waitForTimeout(300);
  const roots = await page.evaluate(() => {
    const host = document.querySelector('#later')!;
    return [host.shadowRoot!.querySelectorAll('.bt-root').length, host.querySelectorAll('.bt-root').length];
  });
  expect(roots).toEqual([1, 0]);
  await expect(page.locator('#later h1')).toHaveText('Ky Anh town leaders meet Party cells in local businesses');
  expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
});

test('on a page of comments alone, a later article takes the first bundle and later comments the same one', async ({ page }) => {
  const errors = watchErrors(page);
  await serveTestFiles(page);
  const main: string[] = [];
  page.on('request', (r) => {
    if (/\/bantin-[0-9a-f]+(_bg\.wasm|\.js)$/.test(r.url())) main.push(r.url());
  });
  await page.goto('/e2e/pow-only.html');
  await expect(mount(page, 0).getByRole('button', { name: 'Gửi bình luận' })).toBeVisible();
  await addMount(page, 'more-comments', { 'data-api': '/api/v1', 'data-article-id': 'ky-anh-2022-11-15', 'data-parts': 'rating comments', 'data-captcha': 'pow' });
  await expect(page.locator('#more-comments').getByRole('button', { name: 'Gửi bình luận' })).toBeVisible();
  expect(main).toEqual([]);
  await addMount(page, 'article', { 'data-article': '/articles/ky-anh-2022-11-15.json', 'data-parts': 'article' });
  await expect(page.locator('#article h1')).toHaveText(/^Thường trực Thị uỷ Kỳ Anh/);
  expect(main).toHaveLength(2);
  // The comments already shown stay as they were.
  await expect(mount(page, 0).getByRole('button', { name: 'Gửi bình luận' })).toBeVisible();
  expect(errors).toEqual([]);
});
