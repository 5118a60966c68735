import { test, type Page } from '@playwright/test';
import { expect, holdRequests, mount, screenshot, serveTestFiles, watchErrors, reachParts } from './support';

const LIGHT_BG = 'rgb(255, 255, 255)';
const DARK_BG = 'rgb(23, 25, 28)';

async function colours(page: Page, id: string) {
  const w = page.locator(`#${id}`);
  await expect(w.locator('.bt-rating-summary')).toHaveText(/\d/);
  return w.locator('.bt-root').evaluate((root) => {
    const s = getComputedStyle(root);
    const button = root.querySelector('.bt-button');
    return {
      bg: s.backgroundColor,
      text: s.color,
      scheme: s.colorScheme,
      font: s.fontFamily,
      padding: s.paddingTop,
      button: button && [getComputedStyle(button).backgroundColor, getComputedStyle(button).borderTopLeftRadius],
    };
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`themes follow prefers-color-scheme (${scheme}) unless data-theme says otherwise`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.emulateMedia({ colorScheme: scheme });
    await serveTestFiles(page);
    await page.goto('/e2e/themes.html');
    await reachParts(page);
    const auto = await colours(page, 'auto');
    expect(auto.bg).toBe(scheme === 'dark' ? DARK_BG : LIGHT_BG);
    expect(auto.scheme).toBe(scheme);
    expect(auto.text).toBe(scheme === 'dark' ? 'rgb(228, 231, 235)' : 'rgb(29, 35, 41)');
    expect((await colours(page, 'light')).bg).toBe(LIGHT_BG);
    expect((await colours(page, 'dark')).bg).toBe(DARK_BG);
    // The portal's variables on the mount element win, in either scheme.
    const custom = await colours(page, 'custom');
    expect(custom.button).toEqual([scheme === 'dark' ? 'rgb(124, 196, 255)' : 'rgb(0, 90, 156)', '0px']);
    expect(custom.font).toBe('Georgia, serif');
    expect(custom.padding).toBe('12px');
    await expect(page.locator('#bad').getByRole('alert')).toContainText('data-theme is not valid: “blue”. Use light, dark or auto.');
    expect(errors).toEqual([]);
  });
}

test('reduced motion stops the loading shimmer', async ({ page }) => {
  const release = await holdRequests(page, '**/articles/ky-anh-2022-11-15.json');
  for (const motion of ['no-preference', 'reduce'] as const) {
    await page.emulateMedia({ reducedMotion: motion });
    await page.goto('/static.html');
    const bar = mount(page).locator('.bt-sk').first();
    await expect(bar).toBeVisible();
    expect(await bar.evaluate((e) => getComputedStyle(e).animationName)).toBe(motion === 'reduce' ? 'none' : 'bt-shimmer');
  }
  release();
});

test('screenshots: light and dark demo pages', async ({ page }, info) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/index.html');
    await reachParts(page);
    await expect(mount(page).locator('.bt-rating-summary')).toHaveText(/\d/);
    await expect(mount(page, 1).locator('.bt-visits')).toBeVisible();
    await screenshot(page, info, `demo-${scheme}`);
  }
});
