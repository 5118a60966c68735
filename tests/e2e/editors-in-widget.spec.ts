// What the editors' work looks like to a reader: an official reply with its
// badge, the pinned comment, and the "Báo cáo vi phạm" action on others'
// comments. The list and the report answers are routed here; the console's
// own tests go through the real server.
import { test } from '@playwright/test';
import { CommentForm, expect, reachParts, watchErrors } from './support';
import { serversPerTest, type TestServer } from './server';

const LIST = /\/api\/v1\/articles\/(ky-anh-2022-11-15|ky-anh-business-party-cells-en)\/comments\?/;
const REPORT = /\/api\/v1\/articles\/ky-anh-2022-11-15\/comments\/(\d+)\/report$/;

const comment = (id: number, extra: object = {}) => ({
  id,
  author: `Bạn đọc ${id}`,
  body: `Ý kiến số ${id}`,
  created_at: '2022-11-15T08:00:00Z',
  replies: [],
  reply_count: 0,
  likes: 0,
  ...extra,
});

async function routeList(page: import('@playwright/test').Page) {
  await page.route(LIST, (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        items: [
          comment(7, { pinned: true }),
          comment(9, {
            replies: [comment(10, { parent_id: 9, author: 'Ban biên tập', body: 'Cảm ơn bạn, chúng tôi đã chuyển ý kiến.', badge: 'Ban biên tập' })],
            reply_count: 1,
          }),
        ],
        next: null,
      }),
    }),
  );
}

test('an official reply shows its badge, the pinned comment says so, and neither is reportable as the portal', async ({ page }) => {
  const errors = watchErrors(page);
  await routeList(page);
  await page.goto('/index.html');
  const m = await reachParts(page);
  const form = new CommentForm(m.locator('.bt-comments'));
  await expect(form.items()).toHaveCount(2);
  const pinned = form.items().first();
  await expect(pinned).toHaveClass(/bt-comment-pinned/);
  await expect(pinned.locator('.bt-pinned')).toHaveText('Được ghim');
  const official = m.locator('.bt-replies .bt-comment');
  await expect(official.locator('.bt-badge')).toHaveText('Ban biên tập');
  // Signed with the badge's text: named once, by the badge.
  await expect(official.locator('.bt-comment-author')).toBeHidden();
  await expect(pinned.locator('.bt-comment-author').first()).toHaveText('Bạn đọc 7');
  await expect(official.getByRole('button', { name: 'Báo cáo vi phạm' })).toHaveCount(0);
  await expect(pinned.getByRole('button', { name: 'Báo cáo vi phạm' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a report is confirmed, sent with the credential once, and a refused one says why and can be sent again', async ({ page }) => {
  await routeList(page);
  const sent: { id: string; body: any }[] = [];
  let fail = true;
  await page.route(REPORT, async (route) => {
    const id = REPORT.exec(route.request().url())![1];
    if (fail) {
      fail = false;
      return route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"down"}}' });
    }
    sent.push({ id, body: route.request().postDataJSON() });
    // The second report of comment 9 by this reader: already counted.
    return route.fulfill(sent.length === 1 ? { status: 204 } : { status: 409, contentType: 'application/json', body: '{"error":{"code":"already_reported","message":"x"}}' });
  });
  await page.goto('/index.html');
  const m = await reachParts(page);
  const form = new CommentForm(m.locator('.bt-comments'));
  const second = form.items().nth(1);
  const report = second.getByRole('button', { name: 'Báo cáo vi phạm' }).first();
  await report.click();
  const ask = second.getByRole('group', { name: 'Báo cáo bình luận này với ban biên tập?' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Gửi báo cáo' }).click();
  await expect(second.locator('.bt-inline-error').first()).toContainText('Chưa gửi được báo cáo');
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Gửi báo cáo' }).click();
  await expect(second.locator('.bt-notice').first()).toHaveText('Đã gửi báo cáo. Cảm ơn bạn.');
  await expect(report).toBeHidden();
  expect(sent).toHaveLength(1);
  expect(sent[0].id).toBe('9');
  expect(typeof sent[0].body.visitor).toBe('string');
  expect(sent[0].body.visitor.length).toBeGreaterThan(10);

  // Reported before (409 after a reload): the same thanks, no error.
  await page.reload();
  const again = new CommentForm((await reachParts(page)).locator('.bt-comments')).items().nth(1);
  await again.getByRole('button', { name: 'Báo cáo vi phạm' }).first().click();
  await again.getByRole('button', { name: 'Gửi báo cáo' }).first().click();
  await expect(again.locator('.bt-notice').first()).toHaveText('Đã gửi báo cáo. Cảm ơn bạn.');
  await expect(again.locator('.bt-inline-error').first()).toBeHidden();
});

test('English labels for the report, the pin and the badge text as the portal set it', async ({ page }) => {
  await routeList(page);
  await page.goto('/en.html');
  const m = await reachParts(page);
  await expect(m.locator('.bt-pinned')).toHaveText('Pinned');
  await expect(m.locator('.bt-badge')).toHaveText('Ban biên tập');
  await expect(m.getByRole('button', { name: 'Report' }).first()).toBeVisible();
});

const start = serversPerTest();
const TOKEN = 'e2e-editors-token-0123456789';
const ARTICLE = 'ky-anh-2022-11-15';

async function api(server: TestServer, method: string, path: string, body?: object, bearer = false) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (bearer) headers.authorization = `Bearer ${TOKEN}`;
  return fetch(`${server.url}/api/v1${path}`, { method, headers, body: body && JSON.stringify(body) });
}

test("against the real server: the editors' reply and pin show on the page; a reader's report hides a comment until an editor decides", async ({ page }) => {
  test.slow();
  const errors = watchErrors(page);
  const server = await start(['--captcha', 'off', '--min-submit-ms', '0', '--admin-token', TOKEN, '--hide-after-reports', '1']);
  const ids: number[] = [];
  for (const body of ['Đường liên thôn đã được sửa chưa?', 'Bình luận sẽ bị báo cáo']) {
    const r = await api(server, 'POST', `/articles/${ARTICLE}/comments`, { author: 'Bạn đọc', body, elapsed_ms: 5000 });
    expect(r.status).toBe(201);
    ids.push((await r.json()).id);
  }
  const reply = await api(server, 'POST', `/admin/comments/${ids[0]}/reply`, { body: 'Đã sửa xong ngày 20/11.' }, true);
  expect(reply.status).toBeLessThan(300);
  expect((await api(server, 'PUT', `/admin/articles/${ARTICLE}/pin`, { comment: ids[0] }, true)).status).toBeLessThan(300);

  await page.goto(`${server.url}/index.html`);
  const form = new CommentForm((await reachParts(page)).locator('.bt-comments'));
  await expect(form.items()).toHaveCount(2);
  // Pinned: first, although it is the older one and the order is "newest".
  const first = form.items().first();
  await expect(first.locator('.bt-pinned')).toHaveText('Được ghim');
  await expect(first.locator('.bt-replies .bt-comment-body')).toHaveText('Đã sửa xong ngày 20/11.');
  await expect(first.locator('.bt-replies .bt-badge')).toHaveText('Ban biên tập');

  const reported = form.items().nth(1);
  await expect(reported.locator('.bt-comment-body')).toHaveText('Bình luận sẽ bị báo cáo');
  await reported.getByRole('button', { name: 'Báo cáo vi phạm' }).click();
  await reported.getByRole('button', { name: 'Gửi báo cáo' }).click();
  await expect(reported.locator('.bt-notice')).toHaveText('Đã gửi báo cáo. Cảm ơn bạn.');

  // One report hides it (--hide-after-reports 1); the console lists it.
  const queue = await (await api(server, 'GET', '/admin/queue?reported=true', undefined, true)).json();
  expect(queue.items.map((i: any) => [i.id, i.reports])).toEqual([[ids[1], 1]]);
  await page.reload();
  const after = new CommentForm((await reachParts(page)).locator('.bt-comments'));
  await expect(after.items()).toHaveCount(1);
  await expect(after.items().first().locator('.bt-comment-body').first()).toHaveText('Đường liên thôn đã được sửa chưa?');
  expect(errors).toEqual([]);
});
