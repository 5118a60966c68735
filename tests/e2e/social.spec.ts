// What readers do with each other's comments: likes, the order of the list,
// and editing or deleting their own comment while the server allows it.
import { test, type Locator, type Page } from '@playwright/test';
import { CommentForm, expect, mount, pinCaptcha, reachParts, watchErrors } from './support';
import { ARTICLE_ID, postComment, serversPerTest, type TestServer } from './server';
const start = serversPerTest();

/** `n` likes of comment `id` from `n` other readers (a credential each). */
async function likeFromOthers(server: TestServer, id: number, n: number) {
  for (let i = 0; i < n; i++) {
    const v = await fetch(`${server.url}/api/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { visitor } = await v.json();
    const r = await fetch(`${server.url}/api/v1/articles/${ARTICLE_ID}/comments/${id}/like`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ visitor }),
    });
    expect(r.status).toBe(200);
  }
}

async function likes(server: TestServer, id: number): Promise<number> {
  const r = await fetch(`${server.url}/api/v1/articles/${ARTICLE_ID}/comments?limit=50`);
  const all = (await r.json()).items as { id: number; likes: number }[];
  return all.find((c) => c.id === id)!.likes;
}

test('a like is one per reader, can be taken back, and the order "most liked" pages without repeats while likes change', async ({ page }) => {
  test.slow();
  const errors = watchErrors(page);
  const server = await start(['--captcha', 'off', '--min-submit-ms', '0']);
  const ids: number[] = [];
  for (let i = 1; i <= 12; i++) ids.push(await postComment(server, `Ý kiến số ${i}`));
  await likeFromOthers(server, ids[0], 2);

  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  const item = (n: number) => form.items().filter({ has: page.locator(`.bt-comment-body:text-is("Ý kiến số ${n}")`) });
  const like = (n: number) => item(n).getByRole('button', { name: /^Thích/ });
  await expect(form.items()).toHaveCount(10);
  await expect(like(5)).toHaveAttribute('aria-pressed', 'false');
  await like(5).click();
  await expect(like(5)).toHaveAttribute('aria-pressed', 'true');
  await expect(like(5)).toHaveText('Thích · 1');
  await expect.poll(() => likes(server, ids[4])).toBe(1);
  // The same reader again: still one like; after a reload it is still theirs.
  await page.reload();
  await reachParts(page);
  await expect(like(5)).toHaveAttribute('aria-pressed', 'true');
  await like(5).click();
  await expect(like(5)).toHaveText('Thích');
  await expect.poll(() => likes(server, ids[4])).toBe(0);
  await like(5).click();
  await expect(like(5)).toHaveText('Thích · 1');

  // Most liked first: 2 likes, then 1, then the rest newest first.
  const sort = form.root.getByLabel('Sắp xếp');
  await sort.selectOption({ label: 'Được thích nhất' });
  await expect(form.items().first().locator('.bt-comment-body')).toHaveText('Ý kiến số 1');
  await expect(form.items().nth(1).locator('.bt-comment-body')).toHaveText('Ý kiến số 5');
  await expect(form.items()).toHaveCount(10);
  // Others like a comment of the second page meanwhile: the next page still
  // brings exactly the comments not shown yet.
  await likeFromOthers(server, ids[10], 3);
  await form.root.getByRole('button', { name: 'Xem thêm' }).click();
  await expect(form.items()).toHaveCount(12);
  const shown = await form.items().locator('.bt-comment-body').allTextContents();
  expect(new Set(shown).size).toBe(12);
  // The choice is kept; a new first page is in today's order.
  await page.reload();
  await reachParts(page);
  await expect(form.root.getByLabel('Sắp xếp')).toHaveValue('liked');
  await expect(form.items().first().locator('.bt-comment-body')).toHaveText('Ý kiến số 11');
  await sort.selectOption({ label: 'Cũ nhất' });
  await expect(form.items().first().locator('.bt-comment-body')).toHaveText('Ý kiến số 1');
  expect(errors).toEqual([]);
});

test('the order changed while pages are on their way: what the old order sends late is dropped', async ({ page }) => {
  const errors = watchErrors(page);
  const server = await start(['--captcha', 'off', '--min-submit-ms', '0']);
  for (let i = 1; i <= 25; i++) await postComment(server, `Ý kiến số ${i}`);
  const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Ý kiến số ${from + i}`);
  // The second page of "newest" (15 to 6) and the first of "most liked" are
  // held until the reader has chosen "oldest" and seen it.
  const held: (() => Promise<void>)[] = [];
  await page.route(/\/comments\?/, async (route) => {
    const url = route.request().url();
    if (!url.includes('cursor=') && !url.includes('sort=liked')) return route.continue();
    const response = await route.fetch();
    held.push(() => route.fulfill({ response }));
  });
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  const bodies = () => form.items().locator('.bt-comment-body').allTextContents();
  const more = form.root.getByRole('button', { name: 'Xem thêm' });
  await expect(form.items()).toHaveCount(10);
  await expect(form.items().first().locator('.bt-comment-body')).toHaveText('Ý kiến số 25');
  await more.click();
  const sort = form.root.getByLabel('Sắp xếp');
  await sort.selectOption({ label: 'Được thích nhất' });
  await expect.poll(() => held.length).toBe(2);
  await sort.selectOption({ label: 'Cũ nhất' });
  await expect(form.items().first().locator('.bt-comment-body')).toHaveText('Ý kiến số 1');
  // The new order's button does not wait for the old order's page.
  await expect(more).toBeEnabled();
  for (const release of held.splice(0)) await release();
  // Both late answers have arrived and been handled (a few tasks).
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  expect(await bodies()).toEqual(numbered(1, 10));
  await expect(sort).toHaveValue('oldest');
  // The button belongs to the new order: it brings the rest, once each.
  await page.unroute(/\/comments\?/);
  await more.click();
  await expect(form.items()).toHaveCount(20);
  await more.click();
  await expect(form.items()).toHaveCount(25);
  await expect(more).toHaveCount(0);
  expect(await bodies()).toEqual(numbered(1, 25));
  expect(errors).toEqual([]);
});

/**
 * `existing` comments; the reader opens the page, chooses "oldest", whose
 * first page the server builds at once (before the reader's comment exists)
 * and which is held, and posts `body` meanwhile. Release `held` to answer.
 */
async function postWhileOldestIsHeld(page: Page, existing: number, body: string) {
  const server = await start(['--captcha', 'off', '--min-submit-ms', '0']);
  for (let i = 1; i <= existing; i++) await postComment(server, `Ý kiến số ${i}`);
  const held: (() => Promise<void>)[] = [];
  await page.route(/\/comments\?/, async (route) => {
    if (!route.request().url().includes('sort=oldest')) return route.continue();
    const response = await route.fetch();
    held.push(() => route.fulfill({ response }));
  });
  await pinCaptcha(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await expect(form.items()).toHaveCount(existing);
  await form.root.getByLabel('Sắp xếp').selectOption({ label: 'Cũ nhất' });
  await expect.poll(() => held.length).toBe(1);
  await form.send('Lê Hoa', body);
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
  return { form, held };
}

test('the reader posts while a new order is on its way: their comment stays in the list the server built before it', async ({ page }) => {
  const errors = watchErrors(page);
  const { form, held } = await postWhileOldestIsHeld(page, 3, 'Ý kiến của tôi, gửi giữa lúc đổi thứ tự.');
  const bodies = () => form.items().locator('.bt-comment-body').allTextContents();
  const mine = form.items().first();
  await expect(mine.locator('.bt-comment-body')).toHaveText('Ý kiến của tôi, gửi giữa lúc đổi thứ tự.');
  // Edited before the page arrives: it comes back as it is now.
  await mine.getByRole('button', { name: 'Sửa' }).click();
  await mine.getByLabel('Sửa bình luận của bạn').fill('Ý kiến của tôi, đã sửa.');
  await mine.getByRole('button', { name: 'Lưu' }).click();
  await expect(mine.locator('.bt-edited')).toBeVisible();
  for (const release of held.splice(0)) await release();
  await expect(form.items().nth(1).locator('.bt-comment-body')).toHaveText('Ý kiến số 1');
  expect(await bodies()).toEqual(['Ý kiến của tôi, đã sửa.', 'Ý kiến số 1', 'Ý kiến số 2', 'Ý kiến số 3']);
  await expect(mine.locator('.bt-edited')).toBeVisible();
  // Once: a later first page (reload) that holds it shows it once, in its place.
  await page.unroute(/\/comments\?/);
  await page.reload();
  await reachParts(page);
  await expect(form.items()).toHaveCount(4);
  expect(await bodies()).toEqual(['Ý kiến số 1', 'Ý kiến số 2', 'Ý kiến số 3', 'Ý kiến của tôi, đã sửa.']);
  expect(errors).toEqual([]);
});

test('the reader deletes their comment while a new order is on its way: it does not come back with that page', async ({ page }) => {
  const errors = watchErrors(page);
  const { form, held } = await postWhileOldestIsHeld(page, 2, 'Ý kiến sẽ xoá ngay.');
  const mine = form.items().first();
  await mine.getByRole('button', { name: 'Xoá' }).click();
  await mine.getByRole('group', { name: 'Xoá bình luận này?' }).getByRole('button', { name: 'Xoá' }).click();
  await expect(mine.locator('.bt-comment-deleted')).toBeVisible();
  for (const release of held.splice(0)) await release();
  await expect(form.items().first().locator('.bt-comment-body')).toHaveText('Ý kiến số 1');
  expect(await form.items().locator('.bt-comment-body').allTextContents()).toEqual(['Ý kiến số 1', 'Ý kiến số 2']);
  expect(errors).toEqual([]);
});

test('the author edits and deletes their own comment; other readers cannot', async ({ page, browser }) => {
  test.slow();
  const server = await start();
  await pinCaptcha(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await form.send('Lê Hoa', 'Ý kiến có lỗi chính tả.');
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
  const mine = form.items().first();
  await mine.getByRole('button', { name: 'Sửa' }).click();
  await mine.getByLabel('Sửa bình luận của bạn').fill('Ý kiến đã sửa lỗi chính tả.');
  await mine.getByRole('button', { name: 'Lưu' }).click();
  await expect(mine.locator('.bt-comment-body')).toHaveText('Ý kiến đã sửa lỗi chính tả.');
  await expect(mine.locator('.bt-edited')).toBeVisible();

  // Another reader sees the new text, marked edited, and no tools.
  const other = await browser.newContext();
  try {
    const p2 = await other.newPage();
    await p2.goto(`${server.url}/index.html`);
    await reachParts(p2);
    const theirs = new CommentForm(mount(p2, 0).locator('.bt-comments')).items().first();
    await expect(theirs.locator('.bt-comment-body')).toHaveText('Ý kiến đã sửa lỗi chính tả.');
    await expect(theirs.locator('.bt-edited')).toHaveText(/đã sửa/);
    await expect(theirs.getByRole('button', { name: 'Sửa' })).toHaveCount(0);
    await expect(theirs.getByRole('button', { name: 'Xoá' })).toHaveCount(0);
  } finally {
    await other.close();
  }
  // The public client_key proves nothing: only the secret the server gave.
  const list = await (await fetch(`${server.url}/api/v1/articles/${ARTICLE_ID}/comments`)).json();
  const forged = await fetch(`${server.url}/api/v1/articles/${ARTICLE_ID}/comments/${list.items[0].id}`, {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: '0'.repeat(48) }),
  });
  expect(forged.status).toBe(403);

  // After a reload the author still can; deleting asks first.
  await page.reload();
  await reachParts(page);
  await mine.getByRole('button', { name: 'Xoá' }).click();
  await mine.getByRole('group', { name: 'Xoá bình luận này?' }).getByRole('button', { name: 'Xoá' }).click();
  // The placeholder is always there, hidden: the server's answer shows it.
  await expect(mine.locator('.bt-comment-deleted')).toBeVisible();
  await expect(mine.locator('.bt-comment-deleted')).toHaveText('Bình luận đã bị xoá.');
  await expect(mine.locator('.bt-comment-body')).toBeHidden();
  const after = await (await fetch(`${server.url}/api/v1/articles/${ARTICLE_ID}/comments`)).json();
  expect(after.items).toEqual([]);
});

/** A page with one's own comment `body`, posted on a server whose edit window is `seconds`. */
async function ownCommentWithShortWindow(page: Page, body: string, seconds = 4) {
  const server = await start(['--edit-window', String(seconds)]);
  await pinCaptcha(page);
  await page.goto(`${server.url}/index.html`);
  await reachParts(page);
  const form = new CommentForm(mount(page, 0).locator('.bt-comments'));
  await form.send('Phan Minh', body);
  await expect(form.status()).toHaveText('Bình luận của bạn đã được đăng.', { timeout: 20_000 });
  return { server, mine: form.items().first() };
}

test('after the edit window the tools are gone and the server refuses', async ({ page }) => {
  test.slow();
  const { server, mine } = await ownCommentWithShortWindow(page, 'Viết rồi để đó.');
  await expect(mine.getByRole('button', { name: 'Sửa' })).toBeVisible();
  // The window closes while the page is open: the buttons go by themselves.
  await expect(mine.getByRole('button', { name: 'Sửa' })).toBeHidden({ timeout: 8_000 });
  await expect(mine.getByRole('button', { name: 'Xoá' })).toBeHidden();
  await page.waitForTimeout(1_500); // past the server's clock too (whole seconds)
  // And the secret no longer works at the server either.
  const token = await page.evaluate((id) => {
    const own = JSON.parse(localStorage.getItem(`bantin:own:${id}`) ?? '[]');
    return own[0]?.[1] ?? null;
  }, ARTICLE_ID);
  const id = Number(await mine.getAttribute('data-id'));
  const stored = token || 'f'.repeat(48);
  const late = await fetch(`${server.url}/api/v1/articles/${ARTICLE_ID}/comments/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body: 'Sửa muộn.', token: stored }),
  });
  expect(late.status).toBe(403);
  expect((await late.json()).error.code).toBe(token ? 'edit_window_closed' : 'edit_forbidden');

  await stillOwnAfterReload(page, server, mine);
});

/** After a reload `mine` is still the author's own: nothing to report, while another reader may. */
async function stillOwnAfterReload(page: Page, server: TestServer, mine: Locator) {
  await page.reload();
  await reachParts(page);
  await expect(mine.getByRole('button', { name: 'Trả lời' })).toBeVisible();
  await expect(mine.getByRole('button', { name: 'Báo cáo vi phạm' })).toHaveCount(0);
  const other = await page.context().browser()!.newPage();
  await other.goto(`${server.url}/index.html`);
  await reachParts(other);
  const theirs = new CommentForm(mount(other, 0).locator('.bt-comments')).items().first();
  await expect(theirs.getByRole('button', { name: 'Báo cáo vi phạm' })).toBeVisible();
  await other.close();
}

test("without an edit window one's own comment has no tools, and nothing to report either", async ({ page }) => {
  const { server, mine } = await ownCommentWithShortWindow(page, 'Không sửa được.', 0);
  await expect(mine.getByRole('button', { name: 'Sửa' })).toHaveCount(0);
  await stillOwnAfterReload(page, server, mine);
});

test('text being edited when the edit window closes stays in its box, to be copied', async ({ page }) => {
  test.slow();
  const { mine } = await ownCommentWithShortWindow(page, 'Viết rồi sửa.');
  await mine.getByRole('button', { name: 'Sửa' }).click();
  const box = mine.getByRole('textbox', { name: 'Sửa bình luận của bạn' });
  await box.fill('Sửa dở dang, một đoạn dài.');
  await expect(mine.getByRole('alert')).toHaveText('Đã hết thời gian được sửa bình luận này. Nội dung bạn sửa vẫn còn trong ô để sao chép.', { timeout: 8_000 });
  await expect(box).toBeVisible();
  await expect(box).toHaveValue('Sửa dở dang, một đoạn dài.');
  await expect(mine.getByRole('button', { name: 'Lưu' })).toBeDisabled();
  await mine.getByRole('button', { name: 'Huỷ' }).click();
  await expect(box).toBeHidden();
  await expect(mine.locator(':scope > .bt-comment-body')).toHaveText('Viết rồi sửa.');
});

