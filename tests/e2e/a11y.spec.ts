import { test, type Page } from '@playwright/test';
import { expect, mount, screenshot, watchErrors } from './support';
import { TestServer } from './server';

const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core over every mount point (it descends into open shadow roots); returns readable violations. */
async function audit(page: Page, state: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async (tags) => {
    const result = await (window as any).axe.run(
      { include: [...document.querySelectorAll('[data-bantin]')] },
      { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] },
    );
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => JSON.stringify(n.target)).join(' ')}`);
  }, TAGS);
  return violations.map((v: string) => `[${state}] ${v}`);
}

/** Boxes of every interactive element in the widget smaller than 44 × 44 px. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-bantin]')].flatMap((host) =>
      [...(host.shadowRoot?.querySelectorAll('a, button, input, textarea, select, summary, [role=radio], [tabindex]') ?? [])]
        // Exceptions: the honeypot nobody sees, and inline links inside the article's own prose (WCAG 2.5.8 "inline").
        .filter((el) => !el.closest('.bt-hp') && !el.closest('.bt-html'))
        .map((el) => [el, el.getBoundingClientRect()] as const)
        .filter(([, r]) => r.width < 44 || r.height < 44)
        .map(([el, r]) => `${el.localName}.${el.className} "${el.textContent?.trim().slice(0, 20)}" ${Math.round(r.width)}x${Math.round(r.height)}`),
    ),
  );
}

let server: TestServer;
test.beforeEach(async () => {
  server = await TestServer.start();
});
test.afterEach(async () => {
  await server.dispose();
});

for (const [lang, path, submit, name, body, code] of [
  ['vi', '/index.html', 'Gửi bình luận', 'Họ và tên', 'Nội dung bình luận', 'Mã xác thực'],
  ['en', '/en.html', 'Post comment', 'Name', 'Your comment', 'Verification code'],
] as const) {
  test(`axe finds nothing in any part or state (${lang})`, async ({ page }, info) => {
    const errors = watchErrors(page);
    const found: string[] = [];
    // The demo page: article, stars, comment form (code+pow), counters.
    await page.goto(server.url + path);
    const w = mount(page, 0);
    await expect(w.locator('.bt-rating-summary')).toHaveText(/\d/);
    await expect(mount(page, 1).locator('.bt-visits')).toBeVisible();
    found.push(...(await audit(page, `${path} loaded`)));
    await w.getByRole('radio').nth(3).click();
    await expect(w.locator('.bt-rating-yours')).toBeVisible();
    await w.getByRole('button', { name: submit }).click();
    await expect(w.locator('.bt-form-status')).toBeVisible();
    found.push(...(await audit(page, `${path} voted, empty form refused`)));
    await w.getByLabel(name).fill('An');
    await w.getByLabel(body).fill('Bình luận thử');
    await w.getByLabel(code, { exact: true }).fill('nope');
    await w.getByRole('button', { name: submit }).click();
    await expect(w.locator('.bt-form-status')).toHaveClass(/bt-inline-error/);
    found.push(...(await audit(page, `${path} wrong code`)));
    if (info.project.name === 'phone') expect(await smallTargets(page)).toEqual([]);

    // Pow-only, static code-only, a load error, a config error, counters alone.
    await page.goto(`${server.url}/e2e/a11y-states.html?lang=${lang}`);
    await expect(mount(page, 1).locator('h1')).toBeVisible();
    await expect(mount(page, 2).getByRole('alert')).toContainText('404');
    await expect(mount(page, 3).getByRole('alert')).toContainText('video');
    await expect(mount(page, 4).locator('.bt-visits')).toBeVisible();
    await expect(mount(page, 0).locator('.bt-muted')).toBeVisible();
    found.push(...(await audit(page, 'states')));
    if (info.project.name === 'phone') expect(await smallTargets(page)).toEqual([]);
    expect(found).toEqual([]);
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  });
}

test('axe finds nothing on the static and pow-only pages, and in dark mode', async ({ page }, info) => {
  const found: string[] = [];
  await page.goto(`${server.url}/static.html`);
  await expect(mount(page, 0).locator('h1')).toBeVisible();
  found.push(...(await audit(page, 'static.html')));
  await page.goto(`${server.url}/e2e/pow-only.html`);
  await expect(mount(page, 0).locator('.bt-muted')).toBeVisible();
  found.push(...(await audit(page, 'pow-only.html')));
  if (info.project.name === 'phone') expect(await smallTargets(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  for (const path of ['/index.html', '/en.html']) {
    await page.goto(server.url + path);
    await expect(mount(page, 0).locator('.bt-rating-summary')).toHaveText(/\d/);
    await expect(mount(page, 1).locator('.bt-visits')).toBeVisible();
    await mount(page, 0).getByRole('button', { name: /Gửi bình luận|Post comment/ }).click();
    found.push(...(await audit(page, `dark ${path}`)));
  }
  await page.goto(`${server.url}/e2e/a11y-states.html`);
  await expect(mount(page, 1).locator('h1')).toBeVisible();
  await expect(mount(page, 2).getByRole('alert')).toBeVisible();
  found.push(...(await audit(page, 'dark states')));
  expect(found).toEqual([]);
});

test('the whole widget works with the keyboard alone, focus always visible', async ({ page }) => {
  await page.addInitScript(() => {
    Math.random = () => 0; // the drawn code is AAAAA
  });
  await page.goto(`${server.url}/static.html`);
  const w = mount(page, 0);
  await expect(w.locator('h1')).toBeVisible();
  const focused = () =>
    page.evaluate(() => {
      const host = document.activeElement;
      const el = host?.shadowRoot?.activeElement;
      if (!el) return null;
      const s = getComputedStyle(el);
      const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
      return { name: el.getAttribute('aria-label') ?? el.id ?? '', tag: el.localName, text: el.textContent?.trim().slice(0, 30), visible };
    });
  // Tab from the top of the page through the widget, noting every stop.
  const stops: NonNullable<Awaited<ReturnType<typeof focused>>>[] = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await focused();
    if (f) stops.push(f);
    else if (stops.length) break;
  }
  expect(stops.filter((s) => !s.visible)).toEqual([]);
  const names = stops.map((s) => s.name || s.text);
  expect(names).toEqual(expect.arrayContaining(['1 sao', 'bt-body', 'bt-name', 'bt-email', 'bt-code', 'Đổi mã khác', 'Gửi bình luận']));
  expect(stops.filter((s) => s.tag === 'button' && s.name?.endsWith('sao'))).toHaveLength(1);

  // Vote with the arrows, then write and send a comment without the mouse.
  await w.getByRole('radio', { name: '1 sao' }).focus();
  await page.keyboard.press('End');
  await expect(w.getByRole('radio', { name: '5 sao' })).toHaveAttribute('aria-checked', 'true');
  await w.locator('#bt-body').focus();
  await page.keyboard.type('Viết bằng bàn phím');
  await page.keyboard.press('Tab');
  await page.keyboard.type('An');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('aaaaa');
  await page.keyboard.press('Enter');
  // Static mode: the code was right, and the form says it cannot post without a server.
  await expect(w.locator('.bt-form-status')).toHaveClass(/bt-warning/);
});
