import { test } from '@playwright/test';
import { expect, serveTestFiles, watchErrors, screenshot, reachParts } from './support';

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
