// The editors' console at /admin/ against a real bantin-server: sign-in,
// the queue (one and many actions), official replies, bans, reports,
// keywords, the audit log.
import { test } from '@playwright/test';
import { expect, holdRequests, reachParts, watchErrors } from './support';
import { serversPerTest } from './server';
import { addUser, ARTICLE_ID, ConsolePage, postComment, published, QUEUE_OPTIONS, report } from './console-support';

const start = serversPerTest();

test('an editor signs in, approves one comment, rejects two at once, deletes one; the audit log says who did what', async ({ page }) => {
  const errors = watchErrors(page);
  const server = await start(QUEUE_OPTIONS);
  await addUser(server, 'lan', 'moderator');
  const ids: number[] = [];
  for (const body of ['Bình luận thứ nhất', 'Quảng cáo thứ hai', 'Quảng cáo thứ ba', 'Bình luận thứ tư']) {
    ids.push(await postComment(server, body));
  }
  const c = new ConsolePage(page, server.url);
  await c.open();
  await c.signedIn('lan');
  await expect(page.locator('.who .role')).toHaveText(c.t.moderator);
  // Oldest waiting first, with the total; the text shown as text.
  await expect(c.total()).toHaveText(c.t.total('4'));
  await expect(page.locator('li.item').first()).toHaveAttribute('data-id', String(ids[0]));
  await expect(c.card(ids[0]).locator('.body')).toHaveText('Bình luận thứ nhất');
  await expect(c.card(ids[0]).locator('.chip.hold')).toHaveText('Chờ duyệt');

  await c.button(c.card(ids[0]), c.t.approve).click();
  await expect(c.card(ids[0])).toHaveCount(0);
  await expect(c.total()).toHaveText(c.t.total('3'));
  expect((await published(server)).map((x) => x.id)).toContain(ids[0]);

  // Bulk: two selected, the bar says so, one click rejects both.
  await c.card(ids[1]).getByRole('checkbox').check();
  await c.card(ids[2]).getByRole('checkbox').check();
  const bar = page.locator('.bulkbar');
  await expect(bar).toContainText(c.t.selected('2'));
  await bar.getByRole('button', { name: c.t.reject, exact: true }).click();
  await expect(c.card(ids[1])).toHaveCount(0);
  await expect(c.card(ids[2])).toHaveCount(0);
  await expect(bar).toHaveCount(0);
  await expect(c.total()).toHaveText(c.t.total('1'));
  expect((await published(server)).map((x) => x.id)).not.toContain(ids[1]);

  // The rejected ones are under the "rejected" filter.
  await page.getByLabel('Trạng thái').selectOption('rejected');
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  await expect(c.total()).toHaveText(c.t.total('2'));
  await expect(c.card(ids[1])).toBeVisible();
  await page.getByLabel('Trạng thái').selectOption('waiting');
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();

  // Delete asks first.
  await c.button(c.card(ids[3]), c.t.delete).click();
  await c.button(c.card(ids[3]), c.t.deleteYes).click();
  await expect(c.card(ids[3])).toHaveCount(0);
  await expect(page.locator('.empty')).toHaveText('Không có bình luận nào.');

  await c.go(c.t.audit);
  const log = page.locator('li.entry');
  await expect(log.filter({ hasText: 'approve' })).toContainText('lan');
  await expect(log.filter({ hasText: `comment:${ids[3]}` }).first()).toContainText('delete');
  await expect(log.filter({ hasText: 'reject' }).first()).toBeVisible();
  // The first look for a session is a 401 (nobody signed in yet): Chromium logs it.
  expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
});

test("an alert's link opens that comment alone, whatever its status; one click shows the whole queue again", async ({ page }) => {
  const server = await start(QUEUE_OPTIONS);
  await addUser(server, 'lan', 'moderator');
  const ids: number[] = [];
  for (const body of ['Thứ nhất', 'Thứ hai, theo thông báo', 'Thứ ba']) {
    ids.push(await postComment(server, body));
  }
  const c = new ConsolePage(page, server.url);
  await c.open(`comment=${ids[1]}`);
  await c.signedIn('lan');
  const linked = page.locator('p.linked');
  await expect(linked).toContainText(`Chỉ hiện bình luận #${ids[1]}`);
  await expect(page.locator('li.item')).toHaveCount(1);
  await expect(c.card(ids[1]).locator('.body')).toHaveText('Thứ hai, theo thông báo');
  await expect(c.total()).toHaveText(c.t.total('1'));
  // Approved, it stays in view with its new status (the link shows it, not the queue).
  await c.button(c.card(ids[1]), c.t.approve).click();
  await expect(c.card(ids[1]).locator('.chip.status-published')).toHaveText('Đã đăng');

  await linked.getByRole('button', { name: 'Xem cả hàng chờ' }).click();
  await expect(linked).toHaveCount(0);
  await expect(c.total()).toHaveText(c.t.total('2'));
  await expect(page.locator('li.item')).toHaveCount(2);
  await expect(c.card(ids[0])).toBeVisible();
  await expect(c.card(ids[2])).toBeVisible();
  // The address forgets the link: a reload shows the queue.
  expect(new URL(page.url()).search).toBe('');
  await page.reload();
  await expect(c.total()).toHaveText(c.t.total('2'));
  await expect(page.locator('p.linked')).toHaveCount(0);

  // A link to a comment that is gone: said so, with the way back.
  await c.open('comment=999999');
  await expect(page.locator('p.linked')).toContainText('#999999');
  await expect(page.locator('.empty')).toHaveText('Không có bình luận nào.');
});

test('select all, then approve them all, more than one request holds (101); "Xem thêm" pages with the cursor', async ({ page }) => {
  const server = await start(QUEUE_OPTIONS);
  await addUser(server, 'lan', 'moderator');
  const ids: number[] = [];
  for (let i = 1; i <= 101; i++) ids.push(await postComment(server, `Bình luận số ${i}`));
  const c = new ConsolePage(page, server.url);
  await c.open();
  await c.signedIn('lan');
  await expect(c.total()).toHaveText(c.t.total('101'));
  await expect(page.locator('li.item')).toHaveCount(30);
  for (const shown of [60, 90, 101]) {
    await page.getByRole('button', { name: 'Xem thêm' }).click();
    await expect(page.locator('li.item')).toHaveCount(shown);
  }
  await expect(page.getByRole('button', { name: 'Xem thêm' })).toHaveCount(0);
  await expect(page.locator('li.item').last()).toHaveAttribute('data-id', String(ids[100]));
  await page.getByLabel(c.t.selectAll).check();
  await expect(page.locator('.bulkbar')).toContainText(c.t.selected('101'));
  await page.locator('.bulkbar').getByRole('button', { name: c.t.approve, exact: true }).click();
  await expect(page.locator('li.item')).toHaveCount(0);
  await expect(c.total()).toHaveText(c.t.total('0'));
  await expect(page.locator('.note').first()).toHaveText('Đã xử lý 101 bình luận.');
  expect((await published(server)).length).toBe(100);
});

test('an official reply is published at once with the badge, shown on the public page; a comment is pinned', async ({ page }) => {
  const errors = watchErrors(page);
  const server = await start(QUEUE_OPTIONS);
  await addUser(server, 'lan', 'moderator');
  const id = await postComment(server, 'Khi nào đường Hùng Vương sửa xong?');
  const c = new ConsolePage(page, server.url);
  await c.open();
  await c.signedIn('lan');
  await c.button(c.card(id), c.t.approve).click();
  await page.getByLabel('Trạng thái').selectOption('published');
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  const card = c.card(id);
  await c.button(card, c.t.reply).click();
  const badge = await card.locator('.reply .chip.official').textContent();
  expect(badge?.trim()).toBeTruthy();
  await card.getByLabel('Trả lời chính thức').fill('Dự kiến hoàn thành trong tháng 12.');
  await c.button(card, c.t.replySend).click();
  await expect(card.locator('.note')).toHaveText('Đã đăng trả lời chính thức.');

  // The public API lists it as a reply with the badge; the public page shows it.
  const r = await fetch(`${server.url}/api/v1/articles/${ARTICLE_ID}/comments/${id}/replies?limit=10`);
  const replies = (await r.json()).items as any[];
  const official = replies.find((x) => x.body === 'Dự kiến hoàn thành trong tháng 12.');
  expect(official?.badge).toBe(badge?.trim());
  await page.goto(`${server.url}/index.html`);
  const widget = await reachParts(page);
  const shown = widget.locator('.bt-comment').filter({ hasText: 'Dự kiến hoàn thành trong tháng 12.' }).last();
  await expect(shown).toBeVisible();
  // The widget's badge, where it shows one already (the lead's side).
  if (await widget.locator('.bt-badge').count()) await expect(shown.locator('.bt-badge')).toHaveText(badge!.trim());

  // Pin and unpin it.
  await c.open();
  await page.getByLabel('Trạng thái').selectOption('published');
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  await c.button(c.card(id), 'Ghim').click();
  await expect(c.card(id).locator('.chip.pinned')).toHaveText('Đã ghim');
  expect((await published(server)).find((x) => x.id === id)?.pinned).toBe(true);
  await c.button(c.card(id), 'Bỏ ghim').click();
  await expect(c.card(id).locator('.chip.pinned')).toHaveCount(0);
  // The first look for a session is a 401 (nobody signed in yet): Chromium logs it.
  expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
});

test("a ban of a comment's network refuses its author; the ban is listed and lifted", async ({ page }) => {
  const server = await start(QUEUE_OPTIONS);
  await addUser(server, 'lan', 'moderator');
  const id = await postComment(server, 'Mua bán sim số đẹp');
  const c = new ConsolePage(page, server.url);
  await c.open();
  await c.signedIn('lan');
  const card = c.card(id);
  await c.button(card, c.t.ban).click();
  await expect(card.getByLabel('Mạng (địa chỉ IP)')).toBeChecked();
  await card.getByLabel('Thời hạn').selectOption({ label: '7 ngày' });
  await card.getByLabel('Lý do').fill('Quảng cáo');
  await card.locator('form.ban').getByRole('button', { name: 'Cấm', exact: true }).click();
  await expect(card.locator('.note')).toHaveText('Đã cấm.');
  const refused = await fetch(`${server.url}/api/v1/articles/${ARTICLE_ID}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author: 'Bạn đọc', body: 'Lại là tôi', elapsed_ms: 5000 }),
  });
  expect(refused.status).toBeGreaterThanOrEqual(400);

  await c.go(c.t.bans);
  const ban = page.locator('li.ban');
  await expect(ban).toHaveCount(1);
  await expect(ban).toContainText('Quảng cáo');
  await expect(ban).toContainText('Người cấm: lan');
  await ban.getByRole('button', { name: c.t.lift }).click();
  await expect(page.locator('.empty')).toHaveText('Không có lệnh cấm nào đang hiệu lực.');
  await postComment(server, 'Đã được gỡ cấm');
});

test('a reader report hides a comment; it is listed under "Bị báo cáo" with its first report', async ({ page }) => {
  const server = await start(['--captcha', 'off', '--min-submit-ms', '0', '--hide-after-reports', '1']);
  await addUser(server, 'lan', 'moderator');
  const id = await postComment(server, 'Nội dung xúc phạm');
  expect((await published(server)).map((x) => x.id)).toContain(id);
  await report(server, id);
  expect((await published(server)).map((x) => x.id)).not.toContain(id);

  const c = new ConsolePage(page, server.url);
  await c.open();
  await c.signedIn('lan');
  await c.go(c.t.reported);
  const card = c.card(id);
  await expect(card.locator('.chip.reports')).toHaveText('1 lượt báo cáo');
  await expect(card.locator('.first-report')).toContainText('Báo cáo đầu tiên: vừa xong');
  await expect(card.locator('.chip.overdue')).toHaveCount(0);
  // A day later, the report is flagged as waiting too long.
  await page.clock.setFixedTime(Date.now() + 25 * 3600 * 1000);
  await page.reload();
  await c.go(c.t.reported);
  await expect(card.locator('.first-report')).toContainText('Báo cáo đầu tiên: 1 ngày trước');
  await expect(card.locator('.chip.overdue')).toHaveText('Quá 24 giờ');
});

test('keyword lists are saved one per line; a comment with a hold word waits', async ({ page }) => {
  const server = await start(['--captcha', 'off', '--min-submit-ms', '0']);
  await addUser(server, 'lan', 'moderator');
  const c = new ConsolePage(page, server.url);
  await c.open();
  await c.signedIn('lan');
  await c.go(c.t.keywords);
  await page.getByLabel('Giữ lại để duyệt (mỗi dòng một từ)').fill('xổ số\nlô đề\n\nxổ số');
  await page.getByLabel('Từ chối ngay (mỗi dòng một từ)').fill('lừa đảo');
  await page.getByRole('button', { name: c.t.save }).click();
  await expect(page.locator('.note')).toHaveText('Đã lưu.');
  await expect(page.getByLabel('Giữ lại để duyệt (mỗi dòng một từ)')).toHaveValue('lô đề\nxổ số');
  // Read-only until the stored lists are in: they would replace what was typed.
  await page.reload();
  const release = await holdRequests(page, /\/admin\/keywords$/, 'GET');
  await c.go(c.t.keywords);
  await expect(page.getByLabel('Giữ lại để duyệt (mỗi dòng một từ)')).not.toBeEditable();
  release();
  await expect(page.getByLabel('Giữ lại để duyệt (mỗi dòng một từ)')).toHaveValue('lô đề\nxổ số');
  await expect(page.getByLabel('Giữ lại để duyệt (mỗi dòng một từ)')).toBeEditable();

  const id = await postComment(server, 'Ai biết kết quả xo so hôm nay?');
  await c.go(c.t.queue);
  await expect(c.card(id).locator('.chip.hold')).toHaveText('Từ khoá');
  await c.go(c.t.audit);
  await expect(page.locator('li.entry').filter({ hasText: 'keywords' })).toContainText('lan');
});

test('an admin adds a moderator, exports, deletes a reader\'s data; the moderator signs in and sees neither section', async ({ page }) => {
  const server = await start(QUEUE_OPTIONS);
  await addUser(server, 'chi', 'admin');
  const c = new ConsolePage(page, server.url);
  await c.open();
  await c.signedIn('chi');
  await expect(page.locator('.who .role')).toHaveText(c.t.admin);
  await c.go(c.t.accounts);
  await page.getByLabel('Tên đăng nhập').fill('binh');
  await page.getByLabel('Mật khẩu', { exact: true }).fill('mat-khau-cua-binh');
  await page.getByRole('button', { name: 'Thêm tài khoản' }).click();
  await expect(page.locator('.note')).toHaveText('Đã thêm tài khoản.');
  await expect(page.locator('li.user .name')).toContainText(['binh']);
  await c.go(c.t.data);
  await expect(page.getByRole('link', { name: 'CSV' }).first()).toHaveAttribute('href', /\/api\/v1\/admin\/export\?what=comments&format=csv/);
  await expect(page.getByLabel('Tệp JSON đã xuất')).toBeVisible();
  // The export link works with the session cookie.
  const href = await page.getByRole('link', { name: 'JSON' }).first().getAttribute('href');
  const exported = await page.request.get(`${server.url}${href}`);
  expect(exported.status()).toBe(200);
  const dump = await exported.body();
  expect(JSON.parse(dump.toString()).format).toBe('bantin-export');
  // And imported again through the form (admin only).
  await page.getByLabel('Tệp JSON đã xuất').setInputFiles({ name: 'bantin-comments.json', mimeType: 'application/json', buffer: dump });
  await page.getByRole('button', { name: 'Nhập', exact: true }).click();
  await expect(page.locator('.note').first()).toHaveText('Đã nhập dữ liệu.');
  // One reader's data deleted, after a confirmation.
  await page.getByLabel('Email').fill('ban-doc@example.com');
  await page.getByRole('button', { name: 'Xoá dữ liệu' }).click();
  await page.getByRole('button', { name: 'Xoá hẳn' }).click();
  await expect(page.locator('.note').last()).toHaveText('Đã xoá dữ liệu của bạn đọc.');
  await c.go(c.t.deliveries);
  await expect(page.locator('.empty')).toHaveText('Chưa có thông báo nào được gửi.');

  await page.getByRole('button', { name: c.t.signOut }).click();
  await expect(page.locator('.notice')).toHaveText('Bạn đã đăng xuất.');
  await c.signIn('binh', 'mat-khau-cua-binh');
  await expect(page.locator('.me-name')).toHaveText('binh');
  await expect(c.tab(c.t.accounts)).toHaveCount(0);
  await expect(c.tab(c.t.data)).toHaveCount(0);
});
