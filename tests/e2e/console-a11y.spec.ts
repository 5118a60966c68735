// axe-core over every state of the console, in Vietnamese and English, on a
// phone (360 × 740) and a desktop; 44 px targets and no sideways scrolling
// on the phone; screenshots of the main states in /tmp/console-shots/.
import { test, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { expect, watchErrors } from './support';
import { serversPerTest } from './server';
import { addUser, axe, ConsolePage, postComment, QUEUE_OPTIONS, report, scrollsSideways, smallTargets, TEXT, type Lang } from './console-support';

const start = serversPerTest();
const SHOTS = process.env.BANTIN_CONSOLE_SHOTS ?? '/tmp/console-shots';

// axe is injected as an inline script, which the console's own CSP refuses.
test.describe(() => {
test.use({ bypassCSP: true });
for (const lang of ['vi', 'en'] as Lang[]) {
  test(`console states pass axe (${lang}), with 44 px targets and no sideways scroll on a phone`, async ({ page }, info) => {
    test.slow();
    const errors = watchErrors(page);
    const phone = info.project.name === 'phone';
    if (phone) await page.setViewportSize({ width: 360, height: 740 });
    // Automatic publication: the link and the phone number are held, the third is published, then hidden by a report.
    const server = await start(['--captcha', 'off', '--min-submit-ms', '0', '--hide-after-reports', '1']);
    await addUser(server, 'chi', 'admin');
    const ids: number[] = [];
    ids.push(await postComment(server, 'Xin hỏi bao giờ đường Hùng Vương được sửa? Liên hệ 0912 345 678.', 'Nguyễn Văn An'));
    ids.push(await postComment(server, 'Mời xem thêm tại https://example.com/khuyen-mai', 'Trần Thị Bình'));
    ids.push(await postComment(server, 'Bài viết rất hay, cảm ơn ban biên tập!\nMong có thêm tin về khu kinh tế Vũng Áng.', 'Lê Văn Cường'));
    await report(server, ids[2]);
    const c = new ConsolePage(page, server.url, lang);
    const t = TEXT[lang];
    const found: string[] = [];
    const check = async (state: string, shot = false) => {
      found.push(...(await axe(page, state)));
      if (phone) {
        found.push(...(await smallTargets(page)).map((s) => `[${state}] small target ${s}`));
        if (await scrollsSideways(page)) found.push(`[${state}] scrolls sideways`);
      }
      if (shot) await snap(page, info, lang, state);
    };
    await c.open();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await check('sign-in', true);
    await c.signIn('chi', 'sai-mat-khau-roi');
    await expect(page.getByRole('alert')).toHaveText(t.wrong);
    await check('sign-in-wrong');
    await c.signedIn('chi');
    await expect(page.locator('li.item')).toHaveCount(3);
    await check('queue', true);
    await c.card(ids[0]).getByRole('checkbox').check();
    await c.card(ids[1]).getByRole('checkbox').check();
    await expect(page.locator('.bulkbar')).toBeVisible();
    await check('queue-selected', true);
    await page.locator('.bulkbar').getByRole('button', { name: t.delete, exact: true }).click();
    await check('bulk-delete-confirm');
    await page.locator('.bulkbar').getByRole('button', { name: lang === 'vi' ? 'Huỷ' : 'Cancel' }).click();
    await page.locator('.bulkbar').getByRole('button', { name: lang === 'vi' ? 'Bỏ chọn' : 'Clear selection' }).click();
    await c.button(c.card(ids[0]), t.reply).click();
    await c.card(ids[0]).locator('textarea').fill(lang === 'vi' ? 'Dự kiến hoàn thành trong tháng 12.' : 'Due in December.');
    await check('reply', true);
    await c.button(c.card(ids[0]), t.reply).click();
    await c.button(c.card(ids[1]), t.ban).click();
    await check('ban-form', true);
    // The comments were sent without a credential: the network is what can be banned.
    await expect(c.card(ids[1]).locator('form.ban input[type=radio]')).toHaveCount(1);
    await c.card(ids[1]).locator('form.ban').getByRole('button', { name: t.ban, exact: true }).click();
    await expect(c.card(ids[1]).locator('.note')).not.toBeEmpty();
    await c.button(c.card(ids[2]), t.delete).click();
    await check('delete-confirm');
    await c.go(t.reported);
    await expect(page.locator('li.item')).toHaveCount(1);
    await check('reported');
    await c.go(t.bans);
    await expect(page.locator('li.ban')).toHaveCount(1);
    await check('bans', true);
    await c.go(t.keywords);
    await check('keywords');
    await c.go(t.audit);
    await expect(page.locator('li.entry').first()).toBeVisible();
    await check('audit');
    await c.go(t.deliveries);
    // The list, or the server's answer that it keeps none (an endpoint still to come is a 404 said in place).
    await expect(page.locator('.empty, li.delivery, [role=alert]').first()).toBeVisible();
    await check('deliveries');
    await c.go(t.data);
    await check('data');
    await c.go(t.accounts);
    await expect(page.locator('li.user')).toHaveCount(1);
    await check('accounts');
    // A failure in place.
    await page.route('**/api/v1/admin/bans', (route) => route.abort('connectionrefused'));
    await c.go(t.bans);
    await expect(page.getByRole('alert').first()).toContainText(t.network);
    await check('bans-failed');
    await page.unroute('**/api/v1/admin/bans');
    // 429 at sign-in.
    await page.getByRole('button', { name: t.signOut }).click();
    await page.route('**/api/v1/admin/session', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 429, headers: { 'retry-after': '42' }, body: '' })
        : route.continue(),
    );
    await c.signIn('chi');
    await expect(page.getByRole('alert')).toHaveText(t.tooMany);
    await check('sign-in-429');
    expect(found).toEqual([]);
    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
  });
}

test('dark mode follows the system preference', async ({ page }, info) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const server = await start(QUEUE_OPTIONS);
  const c = new ConsolePage(page, server.url);
  await c.open();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(23, 25, 28)');
  expect(await axe(page, 'dark sign-in')).toEqual([]);
  await snap(page, info, 'vi', 'sign-in-dark');
});
});

async function snap(page: Page, info: TestInfo, lang: string, state: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${info.project.name}-${lang}-${state}.png`, fullPage: true });
}

test('the console runs under a strict CSP: no inline script or style, no style attributes', async ({ page }) => {
  const server = await start(QUEUE_OPTIONS);
  await addUser(server, 'lan', 'moderator');
  await postComment(server, 'Một bình luận');
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as any).__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const c = new ConsolePage(page, server.url);
  await c.open();
  await c.signedIn('lan');
  await expect(page.locator('li.item')).toHaveCount(1);
  await page.locator('li.item').getByRole('checkbox').check();
  await expect(page.locator('.bulkbar')).toBeVisible();
  expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
  expect(await page.locator('[style]').count()).toBe(0);
  const html = await (await fetch(`${server.url}/admin/`)).text();
  // The page carries its own strict policy.
  expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/<style|style=/);
});
