import { test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { CommentForm, expect, holdRequests, mount, pinCaptcha, watchErrors, reachParts } from './support';
import { postComment, serversPerTest } from './server';

const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe-core over every mount point (it descends into open shadow roots), or over
 * what `selector` finds (`html`: the whole page); returns readable violations.
 */
async function audit(page: Page, state: string, selector = '[data-bantin]'): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async ([tags, selector]) => {
    const result = await (window as any).axe.run(
      { include: [...document.querySelectorAll(selector)] },
      { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] },
    );
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => JSON.stringify(n.target)).join(' ')}`);
  }, [TAGS, selector] as const);
  return violations.map((v: string) => `[${state}] ${v}`);
}

/** Boxes of every interactive element in the widget smaller than 44 × 44 px. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-bantin]')].flatMap((host) =>
      [...(host.shadowRoot?.querySelectorAll('a, button, input, textarea, select, summary, [role=radio], [tabindex]') ?? [])]
        // Exceptions: the honeypot nobody sees, and inline links inside the article's own prose (WCAG 2.5.8 "inline").
        .filter((el) => !el.closest('.bt-hp') && !el.closest('.bt-html'))
        // Not rendered (hidden until used, e.g. a comment's edit box): no target.
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => [el, el.getBoundingClientRect()] as const)
        .filter(([, r]) => r.width < 44 || r.height < 44)
        .map(([el, r]) => `${el.localName}.${el.className} "${el.textContent?.trim().slice(0, 20)}" ${Math.round(r.width)}x${Math.round(r.height)}`),
    ),
  );
}

const start = serversPerTest();

/** The texts the tests look for, in each language of the demo pages. */
const LANGS = [
  {
    lang: 'vi', path: '/index.html', article: 'ky-anh-2022-11-15',
    labels: { name: 'Họ và tên', email: 'Email (không bắt buộc, không hiển thị)', body: 'Nội dung bình luận', code: 'Mã xác thực', submit: 'Gửi bình luận' },
    star: '5 sao', voteFailed: 'Chưa lưu được đánh giá của bạn', ratingFailed: 'Chưa tải được đánh giá mới nhất',
    listFailed: 'Không tải được bình luận', more: 'Xem thêm', loadingMore: 'Đang tải…',
    reply: 'Trả lời', replying: 'Đang trả lời Bạn đọc 11.', cancelReply: 'Huỷ trả lời',
    nameRequired: 'Vui lòng nhập họ và tên', bodyRequired: 'Vui lòng nhập nội dung bình luận', emailInvalid: 'Địa chỉ email không hợp lệ.',
    codeWrong: 'Mã xác thực không đúng.', verifying: 'Đang xác minh... 0%', sending: 'Đang gửi…',
    published: 'Bình luận của bạn đã được đăng.', pending: 'Bình luận của bạn đang chờ duyệt.',
    queued: 'Chưa gửi được (lần thử 1)', sendNow: 'Gửi ngay', restored: 'Đã khôi phục bản nháp bạn chưa gửi.',
  },
  {
    lang: 'en', path: '/en.html', article: 'ky-anh-business-party-cells-en',
    labels: { name: 'Name', email: 'Email (optional, never shown)', body: 'Your comment', code: 'Verification code', submit: 'Post comment' },
    star: '5 stars', voteFailed: 'Your rating was not saved', ratingFailed: 'The latest ratings could not be loaded',
    listFailed: 'Comments could not be loaded', more: 'Show more', loadingMore: 'Loading…',
    reply: 'Reply', replying: 'Replying to Bạn đọc 11.', cancelReply: 'Cancel reply',
    nameRequired: 'Please enter your name', bodyRequired: 'Please write your comment', emailInvalid: 'The email address is not valid.',
    codeWrong: 'The verification code is wrong.', verifying: 'Verifying... 0%', sending: 'Sending…',
    published: 'Your comment has been posted.', pending: 'Your comment is awaiting moderation.',
    queued: 'Not sent yet (attempt 1)', sendNow: 'Send now', restored: 'Your unsent draft was restored.',
  },
] as const;
type Lang = (typeof LANGS)[number];

/** support.ts' CommentForm, found by the labels of the page's language. */
class Form extends CommentForm {
  constructor(root: Locator, readonly t: Lang) {
    super(root);
  }
  body = () => this.root.getByLabel(this.t.labels.body, { exact: true });
  name = () => this.root.getByLabel(this.t.labels.name, { exact: true });
  email = () => this.root.getByLabel(this.t.labels.email, { exact: true });
  code = () => this.root.getByLabel(this.t.labels.code, { exact: true });
  submit = () => this.root.getByRole('button', { name: this.t.labels.submit });
}

/** axe over the page, and on a phone the 44 px target check as well. */
async function check(page: Page, info: TestInfo, state: string): Promise<string[]> {
  const small = info.project.name === 'phone' ? await smallTargets(page) : [];
  return [...(await audit(page, state)), ...small.map((s) => `[${state}] target smaller than 44 px: ${s}`)];
}

const isCaptcha = (u: URL) => u.pathname.endsWith('/captcha');
const isComments = (u: URL) => u.pathname.endsWith('/comments');
const isRating = (u: URL) => u.pathname.endsWith('/rating');

for (const t of LANGS) {
  test(`axe finds nothing in any part or state (${t.lang})`, async ({ page }, info) => {
    const server = await start();
    const { lang, path } = t;
    const { submit, name, body, code } = t.labels;
    const errors = watchErrors(page);
    const found: string[] = [];
    // The demo page: article, stars, comment form (code+pow), counters.
    await page.goto(server.url + path);
    await reachParts(page);
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
    await reachParts(page);
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

  test(`axe: a list with a reply and paging, replying, form errors, verifying, sending, published (${t.lang})`, async ({ page }, info) => {
    const server = await start(['--captcha', 'off', '--min-submit-ms', '0']);
    // 11 comments (one more than a page) and a reply to the newest.
    let newest = 0;
    for (let i = 1; i <= 11; i++) newest = await postComment(server, `Ý kiến số ${i}`, `Bạn đọc ${i}`, { article: t.article });
    await postComment(server, 'Một câu trả lời.', 'Người trả lời', { article: t.article, parent_id: newest });
    await pinCaptcha(page);
    const found: string[] = [];
    // The challenge the form asks for when it is shown, held until "verifying" below.
    const releaseChallenge = await holdRequests(page, isCaptcha, 'GET');
    await page.goto(server.url + t.path);
    await reachParts(page);
    const form = new Form(mount(page, 0).locator('.bt-comments'), t);
    const more = form.root.getByRole('button', { name: t.more });
    await expect(form.items()).toHaveCount(10);
    await expect(form.items().first().locator('.bt-replies .bt-comment-author')).toHaveText('Người trả lời');
    await expect(form.items().first().getByRole('button', { name: t.reply, exact: true })).toBeVisible();
    await expect(more).toBeVisible();
    found.push(...(await check(page, info, 'comments with a reply, more button')));

    // The second page, held while its button says it is loading.
    const releasePage = await holdRequests(page, (u) => isComments(u) && u.searchParams.has('cursor'), 'GET');
    await more.click();
    await expect(form.root.getByRole('button', { name: t.loadingMore })).toBeDisabled();
    found.push(...(await check(page, info, 'loading more')));
    releasePage();
    await expect(form.items()).toHaveCount(11);
    await expect(more).toHaveCount(0);

    await form.items().first().getByRole('button', { name: t.reply, exact: true }).click();
    await expect(form.root.locator('.bt-replying')).toContainText(t.replying);
    await expect(form.root.getByRole('button', { name: t.cancelReply })).toBeVisible();
    found.push(...(await check(page, info, 'replying')));

    // Each refusal of the form, reached by fixing the previous one.
    const refusals: [string, () => Promise<void>][] = [
      [t.nameRequired, async () => {}],
      [t.bodyRequired, () => form.name().fill('Trần Minh')],
      [t.emailInvalid, async () => { await form.body().fill('Đồng ý.'); await form.email().fill('khong-phai-email'); }],
      [t.codeWrong, async () => { await form.email().fill(''); await form.code().fill('ZZZZZ'); }],
    ];
    for (const [message, fix] of refusals) {
      await fix();
      await form.submit().click();
      await expect(form.status()).toContainText(message);
      await expect(form.status()).toHaveAttribute('role', 'alert');
      found.push(...(await check(page, info, `refused: ${message}`)));
    }

    // Verifying while the challenge is held, sending while the comment is held, then published.
    const releasePost = await holdRequests(page, isComments, 'POST');
    await form.code().fill('AAAAA');
    await form.submit().click();
    await expect(form.status()).toHaveText(t.verifying);
    found.push(...(await check(page, info, 'verifying')));
    releaseChallenge();
    await expect(form.status()).toHaveText(t.sending, { timeout: 15_000 });
    await expect(form.submit()).toBeDisabled();
    found.push(...(await check(page, info, 'sending')));
    releasePost();
    await expect(form.status()).toHaveText(t.published);
    await expect(form.items().first().locator('.bt-replies .bt-comment')).toHaveCount(2);
    found.push(...(await check(page, info, 'published')));
    expect(found).toEqual([]);
  });

  test(`axe: load errors, rating rolled back, restored draft, queued offline, pending moderation (${t.lang})`, async ({ page, context }, info) => {
    const server = await start(['--moderation', 'queue']);
    await pinCaptcha(page);
    const found: string[] = [];
    const w = mount(page, 0);
    const form = new Form(w.locator('.bt-comments'), t);
    const rating = w.locator('.bt-rating');

    // The live rating and the comment list cannot be loaded.
    const refuse = (u: URL) => isComments(u) || isRating(u);
    await page.route(refuse, (r) => (r.request().method() === 'GET' ? r.fulfill({ status: 503, body: '' }) : r.fallback()));
    await page.goto(server.url + t.path);
    await reachParts(page);
    await expect(rating.getByRole('alert')).toContainText(t.ratingFailed);
    await expect(form.root.getByRole('alert')).toContainText(t.listFailed);
    found.push(...(await check(page, info, 'rating and comments not loaded')));
    await page.unroute(refuse);

    // A draft left in the form is restored by a reload.
    await page.reload();
    await reachParts(page);
    await expect(form.root.locator('.bt-muted')).toBeVisible();
    await form.fill('Lý Thu', 'Gửi lúc mất sóng.');
    await page.reload();
    await reachParts(page);
    await expect(form.status()).toHaveText(t.restored);
    await expect(form.body()).toHaveValue('Gửi lúc mất sóng.');
    found.push(...(await check(page, info, 'draft restored')));

    // A refused vote is rolled back with an alert.
    await page.route(isRating, (r) => (r.request().method() === 'PUT' ? r.fulfill({ status: 503, body: '' }) : r.fallback()));
    await rating.getByRole('radio', { name: t.star }).click();
    await expect(rating.getByRole('alert')).toContainText(t.voteFailed);
    await expect(rating.getByRole('radio', { name: t.star })).toHaveAttribute('aria-checked', 'false');
    found.push(...(await check(page, info, 'vote rolled back')));

    // Offline: the comment is queued, with "Gửi ngay"; back online it goes, and waits for moderation.
    await context.setOffline(true);
    await form.code().fill('AAAAA');
    await form.submit().click();
    await expect(form.status()).toContainText(t.queued, { timeout: 15_000 });
    await expect(form.root.getByRole('button', { name: t.sendNow })).toBeVisible();
    found.push(...(await check(page, info, 'queued offline')));
    await context.setOffline(false);
    await expect(form.status()).toHaveText(t.pending, { timeout: 20_000 });
    found.push(...(await check(page, info, 'pending moderation')));
    expect(found).toEqual([]);
  });
}

test('axe finds nothing on the static and pow-only pages, and in dark mode', async ({ page }, info) => {
  const server = await start();
  const found: string[] = [];
  await page.goto(`${server.url}/static.html`);
  await reachParts(page);
  await expect(mount(page, 0).locator('h1')).toBeVisible();
  found.push(...(await audit(page, 'static.html')));
  await page.goto(`${server.url}/e2e/pow-only.html`);
  await reachParts(page);
  await expect(mount(page, 0).locator('.bt-muted')).toBeVisible();
  found.push(...(await audit(page, 'pow-only.html')));
  if (info.project.name === 'phone') expect(await smallTargets(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  for (const path of ['/index.html', '/en.html']) {
    await page.goto(server.url + path);
    await reachParts(page);
    await expect(mount(page, 0).locator('.bt-rating-summary')).toHaveText(/\d/);
    await expect(mount(page, 1).locator('.bt-visits')).toBeVisible();
    await mount(page, 0).getByRole('button', { name: /Gửi bình luận|Post comment/ }).click();
    found.push(...(await audit(page, `dark ${path}`)));
  }
  await page.goto(`${server.url}/e2e/a11y-states.html`);
  await reachParts(page);
  await expect(mount(page, 1).locator('h1')).toBeVisible();
  await expect(mount(page, 2).getByRole('alert')).toBeVisible();
  found.push(...(await audit(page, 'dark states')));
  expect(found).toEqual([]);
});

test('axe finds nothing on the list page (tin-tuc.html): counts loaded and failed, light and dark', async ({ page }) => {
  const errors = watchErrors(page);
  const found: string[] = [];
  // GET /counts is not on the server yet (docs/embedding.md): answered here, then refused.
  let fail = false;
  await page.route(
    (u) => u.pathname === '/api/v1/counts',
    (route) =>
      fail
        ? route.fulfill({ status: 503, body: '' })
        : route.fulfill({
            contentType: 'application/json',
            body: JSON.stringify({
              'ky-anh-2022-11-15': { comments: 12, views: 2504500, rating: { count: 37, average: 4.27 } },
              'ky-anh-business-party-cells-en': { comments: 0, views: 1834, rating: { count: 3, average: 4.7 } },
            }),
          }),
  );
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const failing of [false, true]) {
      fail = failing;
      await page.goto('/tin-tuc.html');
      await expect(page.locator(`[data-bantin-count-state=${failing ? 'error' : 'ok'}]`)).toHaveCount(8);
      found.push(...(await audit(page, `tin-tuc.html ${scheme}${failing ? ' failed' : ''}`, 'html')));
    }
  }
  expect(found).toEqual([]);
  expect(errors.filter((e) => !e.includes('503'))).toEqual([]);
});

test('the whole widget works with the keyboard alone, focus always visible', async ({ page }) => {
  const server = await start();
  await page.addInitScript(() => {
    Math.random = () => 0; // the drawn code is AAAAA
  });
  await page.goto(`${server.url}/static.html`);
  await reachParts(page);
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

test('"Xem thêm" by keyboard: focus goes to the first comment it brought, and "Trả lời" to the text box', async ({ page }) => {
  const server = await start(['--captcha', 'off', '--min-submit-ms', '0']);
  await pinCaptcha(page);
  for (let i = 1; i <= 13; i++) await postComment(server, `Ý kiến số ${i}`, `Bạn đọc ${i}`);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await expect(form.items()).toHaveCount(10);
  const focused = () => page.evaluate(() => {
    let e: Element | null = document.activeElement;
    while (e?.shadowRoot?.activeElement) e = e.shadowRoot.activeElement;
    return e ? `${e.tagName} ${e.getAttribute('data-id') ?? ''} ${e.textContent?.trim().slice(0, 40) ?? ''}`.trim() : '';
  });
  await form.root.getByRole('button', { name: 'Xem thêm' }).focus();
  await page.keyboard.press('Enter');
  await expect(form.items()).toHaveCount(13);
  // The last page: the button is gone, and focus is on "Ý kiến số 3", not lost to the page.
  await expect.poll(focused).toMatch(/^LI \d+ .*Bạn đọc 3 ·/);
  await page.keyboard.press('Tab');
  await expect.poll(focused).toMatch(/^BUTTON/);
  expect(await form.items().nth(10).evaluate((li) => li.contains(li.getRootNode() instanceof ShadowRoot ? (li.getRootNode() as ShadowRoot).activeElement : null))).toBe(true);

  // "Trả lời" on a phone-sized page: the text box, in view, described by the line saying to whom.
  await page.setViewportSize({ width: 360, height: 740 });
  await form.items().nth(12).getByRole('button', { name: 'Trả lời' }).click();
  await expect(form.body()).toBeFocused();
  await expect(form.body()).toBeInViewport();
  await expect(form.body()).toHaveAccessibleDescription(/^Đang trả lời Bạn đọc 1/);

  // Too long is said as such, with the count (not "please write your comment").
  await form.root.getByLabel('Họ và tên', { exact: true }).fill('Bạn đọc 14');
  await form.body().fill('a'.repeat(2001));
  await form.root.getByRole('button', { name: 'Gửi bình luận' }).click();
  await expect(form.status()).toHaveText('Bình luận dài quá: 2.001 ký tự, tối đa 2.000. Hãy rút ngắn rồi gửi lại.');
  await expect(form.body()).toHaveValue('a'.repeat(2001));
});
