import { test } from '@playwright/test';
import { POST_COMMENTS, CommentForm, expect, mount, pinCaptcha, screenshot, watchErrors, reachParts } from './support';
import { TestServer } from './server';

const ARTICLE_ID = 'ky-anh-2022-11-15';

let server: TestServer;
test.afterEach(async () => {
  await server?.dispose();
});

test('a vote is saved, survives a reload and can be changed', async ({ page }, info) => {
  server = await TestServer.start();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const rating = mount(page, 0).locator('.bt-rating');
  await expect(rating.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 0, trung bình: 0,0');
  const saved = page.waitForResponse((r) => r.url().endsWith('/rating') && r.request().method() === 'PUT');
  await rating.getByRole('radio', { name: '4 sao' }).click();
  // Optimistic: shown at once, then confirmed by the server.
  await expect(rating.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 1, trung bình: 4,0');
  expect((await saved).status()).toBe(200);
  await expect(rating.locator('.bt-rating-yours')).toHaveText('Bạn đã chấm 4 sao.');
  await screenshot(page, info, 'rating');

  await page.reload();
  await reachParts(page);
  await expect(rating.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 1, trung bình: 4,0');
  await expect(rating.getByRole('radio', { name: '4 sao' })).toHaveAttribute('aria-checked', 'true');
  await rating.getByRole('radio', { name: '2 sao' }).click();
  await expect(rating.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 1, trung bình: 2,0');
  const api = await (await page.request.get(`${server.url}/api/v1/articles/${ARTICLE_ID}/rating`)).json();
  await expect.poll(async () => (await (await page.request.get(`${server.url}/api/v1/articles/${ARTICLE_ID}/rating`)).json()).average).toBe(2);
  expect(api.count).toBe(1);
  expect(errors).toEqual([]);
});

test('stars work with the keyboard alone', async ({ page }) => {
  server = await TestServer.start();
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const rating = mount(page, 0).locator('.bt-rating');
  const stars = rating.getByRole('radio');
  await expect(stars).toHaveCount(5);
  // One tab stop for the group.
  await expect(rating.locator('[role=radio][tabindex="0"]')).toHaveCount(1);
  // Tab from the article's last link into the group.
  await stars.first().focus();
  await page.keyboard.press('End');
  await expect(stars.nth(4)).toBeFocused();
  await expect(stars.nth(4)).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('Home');
  await expect(stars.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(stars.nth(2)).toBeFocused();
  await expect(stars.nth(2)).toHaveAttribute('aria-checked', 'true');
  await expect(rating.locator('.bt-rating-yours')).toHaveText('Bạn đã chấm 3 sao.');
  // Only the star the reader settled on reaches the server.
  await expect.poll(async () => (await (await page.request.get(`${server.url}/api/v1/articles/${ARTICLE_ID}/rating`)).json()).distribution).toEqual([0, 0, 1, 0, 0]);
  await page.reload();
  await reachParts(page);
  await expect(rating.getByRole('radio', { name: '3 sao' })).toHaveAttribute('aria-checked', 'true');
  await expect(rating.locator('[role=radio][tabindex="0"]')).toHaveAttribute('data-star', '3');
});

test('a refused vote is rolled back with a message', async ({ page }) => {
  server = await TestServer.start();
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const rating = mount(page, 0).locator('.bt-rating');
  await expect(rating.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 0, trung bình: 0,0');
  await page.route('**/rating', (r) => (r.request().method() === 'PUT' ? r.fulfill({ status: 503, body: '' }) : r.continue()));
  await rating.getByRole('radio', { name: '5 sao' }).click();
  await expect(rating.getByRole('alert')).toContainText('Chưa lưu được đánh giá của bạn');
  await expect(rating.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 0, trung bình: 0,0');
  await expect(rating.getByRole('radio', { name: '5 sao' })).toHaveAttribute('aria-checked', 'false');
});

test('a comment posted through code+pow is listed; replies nest under it', async ({ page }, info) => {
  server = await TestServer.start();
  const errors = watchErrors(page);
  await pinCaptcha(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await expect(form.root.locator('.bt-muted')).toHaveText('Chưa có bình luận nào.');
  const text = 'Dòng một\nDòng hai <b>không đậm</b>';
  await form.fill('Nguyễn Thị Lan', text, 'aaaaa');
  await expect(form.root.locator('.bt-count')).toHaveText(`${[...text].length}/2.000 ký tự`);
  await form.submit().click();
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
  await expect(form.items()).toHaveCount(1);
  await expect(form.items().first().locator('.bt-comment-body')).toHaveText('Dòng một\nDòng hai <b>không đậm</b>');
  await expect(form.body()).toHaveValue('');
  await screenshot(page, info, 'comments');

  await page.reload();
  await reachParts(page);
  await expect(form.items()).toHaveCount(1);
  await expect(form.items().first().locator('.bt-comment-author')).toHaveText('Nguyễn Thị Lan');
  await expect(form.items().first().locator('time')).toHaveText('vừa xong');
  // The name is remembered for the next comment.
  await expect(form.name()).toHaveValue('Nguyễn Thị Lan');
  await form.items().first().getByRole('button', { name: 'Trả lời' }).click();
  await expect(form.root.locator('.bt-replying')).toContainText('Đang trả lời Nguyễn Thị Lan.');
  await form.fill('Trần Văn Minh', 'Đồng ý với chị Lan.', 'AAAAA');
  await form.submit().click();
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
  await expect(form.items()).toHaveCount(1);
  await expect(form.items().first().locator('.bt-replies .bt-comment-author')).toHaveText('Trần Văn Minh');
  const page1 = await (await page.request.get(`${server.url}/api/v1/articles/${ARTICLE_ID}/comments`)).json();
  expect(page1.items).toHaveLength(1);
  expect(page1.items[0].replies).toHaveLength(1);
  expect(errors).toEqual([]);
});

test('a comment posted through pow alone is listed', async ({ page }) => {
  server = await TestServer.start();
  await page.goto(`${server.url}/e2e/pow-only.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0));
  await expect(form.code()).toHaveCount(0);
  await form.fill('Lê Hoà', 'Chỉ cần bằng chứng công việc.');
  await form.submit().click();
  await expect(form.status()).toContainText(/Đang xác minh|Đang gửi|đã được đăng/);
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
  await expect(form.items().first().locator('.bt-comment-body')).toHaveText('Chỉ cần bằng chứng công việc.');
});

test('a wrong code shows the portal message, draws a new code and keeps the text', async ({ page }) => {
  server = await TestServer.start();
  await pinCaptcha(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await form.fill('Phạm Hùng', 'Nội dung không được mất.', 'ZZZZZ');
  await form.submit().click();
  await expect(form.status()).toHaveText('Mã xác thực không đúng.');
  await expect(form.status()).toHaveAttribute('role', 'alert');
  await expect(form.body()).toHaveValue('Nội dung không được mất.');
  await expect(form.name()).toHaveValue('Phạm Hùng');
  await expect(form.code()).toHaveValue('');
  const list = await (await page.request.get(`${server.url}/api/v1/articles/${ARTICLE_ID}/comments`)).json();
  expect(list.items).toHaveLength(0);
});

test('in queue mode a comment waits for approval, then is listed', async ({ page }) => {
  server = await TestServer.start(['--moderation', 'queue'], { BANTIN_ADMIN_TOKEN: 'e2e-admin-token-0123456789' });
  await pinCaptcha(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await form.fill('Hoàng Mai', 'Chờ duyệt nhé.', 'AAAAA');
  await form.submit().click();
  await expect(form.status()).toHaveText('Bình luận của bạn đang chờ duyệt.', { timeout: 20_000 });
  await expect(form.items()).toHaveCount(0);

  const auth = { Authorization: 'Bearer e2e-admin-token-0123456789' };
  const pending = await (await page.request.get(`${server.url}/api/v1/admin/comments?status=pending`, { headers: auth })).json();
  expect(pending.items.map((c: { body: string }) => c.body)).toEqual(['Chờ duyệt nhé.']);
  const approved = await page.request.post(`${server.url}/api/v1/admin/comments/${pending.items[0].id}/approve`, { headers: auth });
  expect(approved.ok()).toBe(true);
  await page.reload();
  await reachParts(page);
  await expect(form.items()).toHaveCount(1);
  await expect(form.items().first().locator('.bt-comment-body')).toHaveText('Chờ duyệt nhé.');
});

test('a comment sent while the API is down is kept, survives a reload and arrives exactly once', async ({ page }, info) => {
  // Pages from one server, the API on another (cross-origin) that we stop and start.
  server = await TestServer.start();
  const api = await TestServer.start(['--allowed-origins', server.url]);
  try {
    await pinCaptcha(page);
    await page.goto(`${server.url}/e2e/cross-origin.html?api=${encodeURIComponent(`${api.url}/api/v1`)}`);
    await reachParts(page);
    const form = new CommentForm(mount(page, 0));
    await expect(form.root.locator('.bt-muted')).toHaveText('Chưa có bình luận nào.');

    await api.stop();
    await form.fill('Võ Thanh', 'Gửi khi mất mạng.', 'AAAAA');
    await form.submit().click();
    await expect(form.status()).toContainText('Chưa gửi được (lần thử', { timeout: 15_000 });
    await screenshot(page, info, 'comment-queued');

    await page.reload();
    await reachParts(page);
    await expect(form.body()).toHaveValue('Gửi khi mất mạng.');
    await expect(form.status()).toContainText('Chưa gửi được', { timeout: 15_000 });

    await api.restart();
    // "Gửi ngay", unless the outbox's own next try (its back-off runs on)
    // has already delivered it: either way it must arrive once.
    const sendNow = form.root.getByRole('button', { name: 'Gửi ngay' });
    const posted = form.status().filter({ hasText: 'Bình luận của bạn đã được đăng.' });
    await expect(sendNow.or(posted)).toBeVisible();
    if (await sendNow.isVisible()) await sendNow.click({ timeout: 5_000 }).catch(() => {});
    await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
    await expect(form.body()).toHaveValue('');
    await page.reload();
    await reachParts(page);
    await expect(form.items()).toHaveCount(1);
    await expect(form.body()).toHaveValue('');
    const list = await (await page.request.get(`${api.url}/api/v1/articles/${ARTICLE_ID}/comments`)).json();
    expect(list.items.map((c: { body: string }) => c.body)).toEqual(['Gửi khi mất mạng.']);
  } finally {
    await api.dispose();
  }
});

test('the draft is restored after a reload and removed only after the server accepted it', async ({ page }) => {
  server = await TestServer.start();
  await pinCaptcha(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await form.fill('Đặng Thu', 'Bản nháp quan trọng.');
  await page.reload();
  await reachParts(page);
  await expect(form.body()).toHaveValue('Bản nháp quan trọng.');
  await expect(form.name()).toHaveValue('Đặng Thu');
  await expect(form.status()).toHaveText('Đã khôi phục bản nháp bạn chưa gửi.');
  // A refusal for good (422) keeps the draft too.
  await page.route(POST_COMMENTS, (r) =>
    r.request().method() === 'POST'
      ? r.fulfill({ status: 422, contentType: 'application/json', body: '{"error":{"code":"invalid_field","message":"body: nope"}}' })
      : r.continue(),
  );
  await form.code().fill('AAAAA');
  await form.submit().click();
  await expect(form.status()).toContainText('Máy chủ từ chối yêu cầu', { timeout: 20_000 });
  await page.reload();
  await reachParts(page);
  await expect(form.body()).toHaveValue('Bản nháp quan trọng.');
});

test('one visit per browser session (reloads and tabs); two browsers are two online', async ({ browser }) => {
  server = await TestServer.start();
  const a = await browser.newContext();
  const b = await browser.newContext();
  try {
    const pa = await a.newPage();
    await pa.goto(`${server.url}/index.html`);
    const sidebarA = mount(pa, 1);
    await expect(sidebarA.locator('.bt-visits')).toHaveText('1');
    await expect(sidebarA.locator('.bt-online')).toHaveText('1');
    await pa.reload();
    await expect(sidebarA.locator('.bt-visits')).toHaveText('1');
    // A second tab of the same browser is the same session.
    const pa2 = await a.newPage();
    await pa2.goto(`${server.url}/index.html`);
    await expect(mount(pa2, 1).locator('.bt-visits')).toHaveText('1');
    await expect(mount(pa2, 1).locator('.bt-online')).toHaveText('1');

    const pb = await b.newPage();
    await pb.goto(`${server.url}/index.html`);
    await expect(mount(pb, 1).locator('.bt-visits')).toHaveText('2');
    await expect(mount(pb, 1).locator('.bt-online')).toHaveText('2');
    await pa.reload();
    await expect(sidebarA.locator('.bt-online')).toHaveText('2');
    await expect(sidebarA.locator('.bt-visits')).toHaveText('2');
  } finally {
    await a.close();
    await b.close();
  }
});

test('static mode: the vote stays in the browser, the code captcha still checks', async ({ page }) => {
  server = await TestServer.start();
  await pinCaptcha(page);
  await page.goto(`${server.url}/static.html`);
  await reachParts(page);
  const article = mount(page, 0);
  await article.locator('.bt-rating').getByRole('radio', { name: '5 sao' }).click();
  await expect(article.locator('.bt-rating-yours')).toHaveText('Bạn đã chấm 5 sao.');
  await expect(article.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 12, trung bình: 4,3');
  await page.reload();
  await reachParts(page);
  await expect(article.locator('.bt-rating').getByRole('radio', { name: '5 sao' })).toHaveAttribute('aria-checked', 'true');

  const form = new CommentForm(article.locator('.bt-comments'));
  await form.fill('Bùi An', 'Trang tĩnh.', 'BBBBB');
  await form.submit().click();
  await expect(form.status()).toHaveText('Mã xác thực không đúng.');
  await form.code().fill('AAAAA');
  await form.submit().click();
  await expect(form.status()).toContainText('chưa kết nối máy chủ bình luận');
  await expect(form.body()).toHaveValue('Trang tĩnh.');
  const votes = await (await page.request.get(`${server.url}/api/v1/articles/${ARTICLE_ID}/rating`)).json();
  expect(votes.count).toBe(0);
});

test('votes go with the credential the server issued: a forged one is replaced, the vote kept across reloads', async ({ page }) => {
  server = await TestServer.start();
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('bantin:credential', 'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    }
  });
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const rating = mount(page, 0).locator('.bt-rating');
  await rating.getByRole('radio', { name: '4 sao' }).click();
  await expect(rating.locator('.bt-rating-yours')).toHaveText('Bạn đã chấm 4 sao.');
  await expect.poll(async () => (await (await page.request.get(`${server.url}/api/v1/articles/${ARTICLE_ID}/rating`)).json()).count).toBe(1);
  const credential = await page.evaluate(() => localStorage.getItem('bantin:credential'));
  expect(credential).not.toBe('AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  expect(credential).toMatch(/^[A-Za-z0-9_-]{55}$/);
  await page.reload();
  await reachParts(page);
  await expect(rating.getByRole('radio', { name: '4 sao' })).toHaveAttribute('aria-checked', 'true');
});

test('without localStorage the server cookie keeps the reader one voter', async ({ page }) => {
  server = await TestServer.start();
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get: () => { throw new DOMException('denied', 'SecurityError'); } });
  });
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const rating = mount(page, 0).locator('.bt-rating');
  await rating.getByRole('radio', { name: '5 sao' }).click();
  await expect.poll(async () => (await (await page.request.get(`${server.url}/api/v1/articles/${ARTICLE_ID}/rating`)).json()).count).toBe(1);
  await page.reload();
  await reachParts(page);
  await expect(rating.getByRole('radio', { name: '5 sao' })).toHaveAttribute('aria-checked', 'true');
  await rating.getByRole('radio', { name: '2 sao' }).click();
  await expect.poll(async () => (await (await page.request.get(`${server.url}/api/v1/articles/${ARTICLE_ID}/rating`)).json()).average).toBe(2);
  expect((await (await page.request.get(`${server.url}/api/v1/articles/${ARTICLE_ID}/rating`)).json()).count).toBe(1);
});

test('a network past its daily votes is told so, and the stars roll back', async ({ browser }) => {
  server = await TestServer.start(['--votes-per-network', '1']);
  const vote = async (stars: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/index.html`);
    await reachParts(page);
    const rating = mount(page, 0).locator('.bt-rating');
    await rating.getByRole('radio', { name: stars }).click();
    return { context, rating };
  };
  const first = await vote('4 sao');
  await expect(first.rating.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 1, trung bình: 4,0');
  const second = await vote('2 sao');
  await expect(second.rating.getByRole('alert')).toContainText('đã đạt giới hạn lượt đánh giá');
  await expect(second.rating.locator('.bt-rating-summary')).toHaveText('lượt đánh giá: 1, trung bình: 4,0');
  await first.context.close();
  await second.context.close();
});
