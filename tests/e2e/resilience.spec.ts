// What happens between the reader and the server when things go wrong or take
// long: retries on their own, offline/online, lost answers, heartbeats, paging.
import { test, type Page } from '@playwright/test';
import { POST_COMMENTS, CommentForm, expect, mount, pinCaptcha, reachParts } from './support';
import { ARTICLE_ID, postComment, serversPerTest, type TestServer } from './server';

async function bodies(server: TestServer): Promise<string[]> {
  const r = await fetch(`${server.url}/api/v1/articles/${ARTICLE_ID}/comments?limit=50`);
  const page = await r.json();
  return page.items.map((c: { body: string }) => c.body);
}

const start = serversPerTest();

test('a queued comment is sent again on its own once the API is back', async ({ page }) => {
  const pages = await start();
  const api = await start(['--allowed-origins', pages.url]);
  await pinCaptcha(page);
  await page.goto(`${pages.url}/e2e/cross-origin.html?api=${encodeURIComponent(`${api.url}/api/v1`)}`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0));
  await expect(form.root.locator('.bt-muted')).toHaveText('Chưa có bình luận nào.');
  await api.stop();
  await form.send('Võ Thanh', 'Tự gửi lại.');
  await expect(form.status()).toContainText('Chưa gửi được (lần thử 1', { timeout: 15_000 });
  await api.restart();
  // No click on "Gửi ngay": the backoff (2 s, then 4 s) brings it.
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
  await expect(form.body()).toHaveValue('');
  expect(await bodies(api)).toEqual(['Tự gửi lại.']);
});

test('offline: the comment waits, and goes as soon as the browser is back online', async ({ page, context }) => {
  const server = await start();
  await pinCaptcha(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await expect(form.root.locator('.bt-muted')).toHaveText('Chưa có bình luận nào.');
  await context.setOffline(true);
  await form.send('Lý Thu', 'Gửi lúc mất sóng.');
  // Attempts 1, 2 and 3 fail (2 s + 4 s apart); the next one is 8 s away.
  await expect(form.status()).toContainText('Chưa gửi được (lần thử 3', { timeout: 20_000 });
  const backOnline = Date.now();
  await context.setOffline(false);
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 7_000 });
  // Sooner than the 8 s backoff: it was the "online" change that sent it.
  expect(Date.now() - backOnline).toBeLessThan(7_000);
  expect(await bodies(server)).toEqual(['Gửi lúc mất sóng.']);
});

/**
 * Comment POSTs are watched: the first one reaches the server, which stores it,
 * and its answer is lost (`meanwhile` runs before it is). The keys sent, in order.
 */
async function loseFirstAnswer(page: Page, meanwhile: () => Promise<void> = async () => {}) {
  const keys: string[] = [];
  await page.route(POST_COMMENTS, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    keys.push(JSON.parse(route.request().postData() ?? '{}').client_key);
    if (keys.length === 1) {
      const response = await route.fetch();
      expect(response.status()).toBe(201);
      await meanwhile();
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  return keys;
}

test('an answer lost after the server stored the comment does not store it twice', async ({ page }) => {
  const server = await start();
  await pinCaptcha(page);
  // The server gets it and stores it; the reader's browser never hears back.
  const keys = await loseFirstAnswer(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await form.send('Trịnh Nam', 'Chỉ một lần thôi.');
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 25_000 });
  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
  expect(keys[1]).toBe(keys[0]);
  await expect(form.items()).toHaveCount(1);
  expect(await bodies(server)).toEqual(['Chỉ một lần thôi.']);
  await page.reload();
  await reachParts(page);
  await expect(form.items()).toHaveCount(1);
});

test('a queued comment changed after its first attempt got through is refused under its key, then sent with a new one', async ({ page }) => {
  const server = await start();
  await pinCaptcha(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  // Stored, the answer lost, and the reader changes the text before the retry.
  const keys = await loseFirstAnswer(page, () => form.body().fill('Bản đã sửa.'));
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  await form.send('Trịnh Nam', 'Bản đầu.');
  // The retry carries another text under the first key: not a retry of it
  // (409 client_key_taken, no edit secret for it); the text stays to send.
  await expect(form.status()).toHaveText('Bản trước của bình luận này đã được đăng. Bấm “Gửi bình luận” để đăng cả bản bạn vừa sửa.', { timeout: 25_000 });
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  await expect(form.body()).toHaveValue('Bản đã sửa.');
  // Sent again: a comment of its own, with a new key.
  await form.send('Trịnh Nam', 'Bản đã sửa.');
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 25_000 });
  expect(keys).toHaveLength(3);
  expect(keys[2]).toMatch(/^[0-9a-f]{32}$/);
  expect(keys[2]).not.toBe(keys[0]);
  expect((await bodies(server)).sort()).toEqual(['Bản đã sửa.', 'Bản đầu.']);
});

test('"Xem thêm" pages through many comments in order, without repeats', async ({ page }) => {
  const server = await start(['--captcha', 'off', '--min-submit-ms', '0']);
  await pinCaptcha(page);
  for (let i = 1; i <= 23; i++) await postComment(server, `Ý kiến số ${i}`, `Bạn đọc ${i}`);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  const more = form.root.getByRole('button', { name: 'Xem thêm' });
  await expect(form.items()).toHaveCount(10);
  await expect(form.items().first().locator('.bt-comment-body')).toHaveText('Ý kiến số 23');
  await more.click();
  await expect(form.items()).toHaveCount(20);
  await more.click();
  await expect(form.items()).toHaveCount(23);
  await expect(more).toHaveCount(0);
  const shown = await form.items().locator(':scope > .bt-comment-body').allTextContents();
  expect(shown).toEqual(Array.from({ length: 23 }, (_, i) => `Ý kiến số ${23 - i}`));
  // Shown page by page: a reply to a comment of the last page goes under it,
  // a new comment on top of the first; nothing else moves.
  const second = form.items().filter({ has: page.locator('.bt-comment-body:text-is("Ý kiến số 2")') });
  await second.getByRole('button', { name: 'Trả lời' }).click();
  await form.send('Bạn đọc 24', 'Trả lời ý kiến số 2');
  await expect(second.locator('.bt-replies .bt-comment-body')).toHaveText('Trả lời ý kiến số 2');
  await form.send('Bạn đọc 25', 'Ý kiến số 25');
  await expect(form.items()).toHaveCount(24);
  await expect(form.items().first().locator(':scope > .bt-comment-body')).toHaveText('Ý kiến số 25');
  const after = await form.items().locator(':scope > .bt-comment-body').allTextContents();
  expect(after).toEqual(['Ý kiến số 25', ...shown]);
});

test('the code captcha draws a new code on refresh and after a wrong entry', async ({ page }) => {
  const server = await start();
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  const canvas = form.root.locator('canvas');
  await expect(canvas).toBeVisible();
  const picture = () => canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  // Drawn after the form's first frame: wait until the canvas holds a code.
  const blank = await canvas.evaluate((c: HTMLCanvasElement) => {
    const empty = document.createElement('canvas');
    [empty.width, empty.height] = [c.width, c.height];
    return empty.toDataURL();
  });
  await expect.poll(picture).not.toBe(blank);
  const first = await picture();
  await form.root.getByRole('button', { name: 'Đổi mã khác' }).click();
  await expect.poll(picture).not.toBe(first);
  const second = await picture();
  await form.name().fill('Đỗ Lan');
  await form.body().fill('Giữ nguyên nội dung.');
  await form.code().fill('0000');
  await form.submit().click();
  await expect(form.status()).toHaveText('Mã xác thực không đúng.');
  await expect.poll(picture).not.toBe(second);
  await expect(form.body()).toHaveValue('Giữ nguyên nội dung.');
});

test('heartbeats keep the reader online only while the page is visible, and add no visit', async ({ page }) => {
  const server = await start();
  // The page's visibility, switched by the test.
  await page.addInitScript(() => {
    Object.defineProperty(Document.prototype, 'visibilityState', {
      get: () => ((window as unknown as { __hidden?: boolean }).__hidden ? 'hidden' : 'visible'),
    });
  });
  await page.clock.install();
  // Playwright's fake timers number themselves from 10^12; WebIDL's (and so
  // web-sys') timer handle is a 32-bit `long`, which browsers respect. Hand the
  // page small handles so that clearTimeout reaches the right timer.
  await page.addInitScript(() => {
    const set = window.setTimeout.bind(window);
    const clear = window.clearTimeout.bind(window);
    const handles = new Map<number, number>();
    let next = 1;
    (window as unknown as { setTimeout: unknown }).setTimeout = (cb: TimerHandler, ms?: number, ...args: unknown[]) => {
      const handle = next++;
      handles.set(handle, set(cb, ms, ...args) as unknown as number);
      return handle;
    };
    (window as unknown as { clearTimeout: unknown }).clearTimeout = (handle?: number) => {
      if (handle !== undefined && handles.has(handle)) clear(handles.get(handle));
      if (handle !== undefined) handles.delete(handle);
    };
  });
  let visits = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/visits')) visits += 1;
  });
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  await expect(mount(page, 1).locator('.bt-visits')).toHaveText('1');
  await expect.poll(() => visits).toBe(1);
  await page.clock.runFor(61_000);
  await expect.poll(() => visits).toBe(2);
  await page.evaluate(() => ((window as unknown as { __hidden?: boolean }).__hidden = true));
  await page.clock.runFor(61_000);
  await page.clock.runFor(61_000);
  await page.waitForTimeout(300);
  expect(visits).toBe(2);
  await page.evaluate(() => ((window as unknown as { __hidden?: boolean }).__hidden = false));
  await page.clock.runFor(61_000);
  await expect.poll(() => visits).toBe(3);
  const stats = await (await fetch(`${server.url}/api/v1/stats`)).json();
  expect(stats.total_visits).toBe(1);
  expect(stats.online).toBe(1);
});

test('a comment shows its first 20 replies and "Xem thêm 10 trả lời" pages the rest', async ({ page }) => {
  const server = await start(['--captcha', 'off', '--min-submit-ms', '0']);
  const parent = await postComment(server, 'Chủ đề được bàn nhiều', 'Lan');
  for (let i = 1; i <= 30; i++) await postComment(server, `Trả lời số ${i}`, `Bạn đọc ${i}`, { parent_id: parent });
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  const replies = form.items().first().locator('.bt-replies > .bt-comment');
  await expect(replies).toHaveCount(20);
  const more = form.root.getByRole('button', { name: 'Xem thêm 10 trả lời', exact: true });
  await more.click();
  await expect(replies).toHaveCount(30);
  await expect(more).toHaveCount(0);
  const shown = await replies.locator('.bt-comment-body').allTextContents();
  expect(shown).toEqual(Array.from({ length: 30 }, (_, i) => `Trả lời số ${i + 1}`));
});

test("the reader's own reply under a comment with replies not shown yet hides none of them", async ({ page }) => {
  const server = await start(['--captcha', 'off', '--min-submit-ms', '0']);
  const parent = await postComment(server, 'Chủ đề được bàn nhiều', 'Lan');
  for (let i = 1; i <= 45; i++) await postComment(server, `Trả lời số ${i}`, `Bạn đọc ${i}`, { parent_id: parent });
  await pinCaptcha(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  const replies = form.items().first().locator('.bt-replies > .bt-comment');
  await expect(replies).toHaveCount(20);
  await form.items().first().getByRole('button', { name: 'Trả lời', exact: true }).click();
  await form.send('Minh', 'Câu trả lời của tôi');
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
  // Shown at once, after the 20; the 25 others are still to load, in two pages.
  await expect(replies).toHaveCount(21);
  await expect(replies.last().locator('.bt-comment-body')).toHaveText('Câu trả lời của tôi');
  await form.root.getByRole('button', { name: 'Xem thêm 25 trả lời', exact: true }).click();
  await form.root.getByRole('button', { name: 'Xem thêm 5 trả lời', exact: true }).click();
  await expect(replies).toHaveCount(46);
  await expect(form.root.getByRole('button', { name: /^Xem thêm \d+ trả lời$/ })).toHaveCount(0);
  const shown = await replies.locator('.bt-comment-body').allTextContents();
  expect(shown).toEqual([...Array.from({ length: 45 }, (_, i) => `Trả lời số ${i + 1}`), 'Câu trả lời của tôi']);
});

test('a comment sent in one tab does not erase the one another tab has queued', async ({ context }) => {
  const server = await start();
  const [a, b] = [await context.newPage(), await context.newPage()];
  for (const p of [a, b]) await pinCaptcha(p);
  await a.goto(`${server.url}/index.html`);
  await reachParts(a);
  const formA = new CommentForm(mount(a, 0).locator('.bt-comments'));
  await formA.fill('An', 'Ý kiến của tab A', 'AAAAA');

  // Tab B's comment cannot reach the server: it stays queued in the shared storage.
  await b.route(POST_COMMENTS, (r) => (r.request().method() === 'POST' ? r.abort('connectionrefused') : r.continue()));
  await b.goto(`${server.url}/index.html`);
  await reachParts(b);
  const formB = new CommentForm(mount(b, 0).locator('.bt-comments'));
  await formB.send('Bình', 'Ý kiến của tab B');
  await expect(formB.status()).toContainText('Chưa gửi được', { timeout: 15_000 });

  // Tab A keeps its own text, sends it, and leaves tab B's queued comment alone.
  await expect(formA.body()).toHaveValue('Ý kiến của tab A');
  await formA.submit().click();
  await expect(formA.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
  // Tab B's comment is still in the browser (moved aside when tab A queued its own).
  const kept = await a.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('bantin:queued:ky-anh-2022-11-15:') || k === 'bantin:draft:ky-anh-2022-11-15')
      .map((k) => JSON.parse(localStorage.getItem(k)!)),
  );
  expect(kept.filter((d) => d.queued).map((d) => d.body)).toEqual(['Ý kiến của tab B']);

  // Back online, tab B delivers it: both comments are stored, once each.
  await b.unroute(POST_COMMENTS);
  // Its own retry may come first on a busy machine: then there is no button
  // left to press, and the comment must be delivered all the same.
  const sendNow = formB.root.getByRole('button', { name: 'Gửi ngay' });
  const posted = formB.status().filter({ hasText: 'Bình luận của bạn đã được đăng.' });
  await expect(sendNow.or(posted)).toBeVisible({ timeout: 20_000 });
  await sendNow.click({ timeout: 2_000 }).catch(() => {});
  await expect(formB.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
  expect((await bodies(server)).sort()).toEqual(['Ý kiến của tab A', 'Ý kiến của tab B']);
});

test('a draft the browser refuses to store is said to be unsaved, and the text stays', async ({ page }) => {
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      if (key.startsWith('bantin:draft:')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return setItem.call(this, key, value);
    };
  });
  await page.goto('/index.html');
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await form.body().fill('Viết khi bộ nhớ đầy');
  await expect(form.root.getByText('Trình duyệt không cho lưu bản nháp trên thiết bị này')).toBeVisible();
  await expect(form.body()).toHaveValue('Viết khi bộ nhớ đầy');
});

test('a comment another tab queued and left behind is delivered on the next visit', async ({ page }) => {
  const server = await start();
  await pinCaptcha(page);
  // What a closed tab left: its comment, moved aside by another tab's draft.
  await page.addInitScript(() => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem(
      'bantin:queued:ky-anh-2022-11-15:0123456789abcdef0123456789abcdef',
      JSON.stringify({ author: 'Hà', email: '', body: 'Gửi từ tab đã đóng', reply_to: null, queued: true, client_key: '0123456789abcdef0123456789abcdef' }),
    );
  });
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  await expect.poll(() => bodies(server), { timeout: 20_000 }).toEqual(['Gửi từ tab đã đóng']);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await expect(form.items().first().locator('.bt-comment-body')).toHaveText('Gửi từ tab đã đóng');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('bantin:queued:')))).toEqual([]);
});

test('a queued comment survives a visit without the API, and goes on the next visit that has it', async ({ page }) => {
  const server = await start();
  await pinCaptcha(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page));
  await page.route('**/api/v1/**', (route) => route.abort());
  await form.send('Võ Thanh', 'Qua hai lần tải lại.');
  await expect(form.status()).toContainText('Chưa gửi được', { timeout: 15_000 });

  // Reloaded while the API is unreachable: the page's static stand-in, and the comment as a draft.
  await page.reload();
  await reachParts(page);
  await expect(mount(page).locator('.bt-comments .bt-notice')).toContainText('chưa kết nối máy chủ bình luận');
  await expect(form.body()).toHaveValue('Qua hai lần tải lại.');
  await expect(form.status()).toHaveText('Đã khôi phục bản nháp bạn chưa gửi.');

  await page.unroute('**/api/v1/**');
  await page.reload();
  await reachParts(page);
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
  expect(await bodies(server)).toEqual(['Qua hai lần tải lại.']);
});
