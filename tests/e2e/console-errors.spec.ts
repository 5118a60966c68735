// The console's failure states: wrong password, too many attempts (429 with
// Retry-After), a session that ends (401 anywhere), the network gone, a
// server error, malformed JSON. The page and the rest of the API are the real
// server's; only the failing answer is replaced.
import { test } from '@playwright/test';
import { expect, watchErrors } from './support';
import { serversPerTest } from './server';
import { addUser, ConsolePage, postComment, QUEUE_OPTIONS } from './console-support';

const start = serversPerTest();

test('a wrong password says so; 429 says how long to wait, from Retry-After; what was typed stays', async ({ page }) => {
  const server = await start(QUEUE_OPTIONS);
  await addUser(server, 'lan', 'moderator');
  const c = new ConsolePage(page, server.url);
  await c.open();
  await c.signIn('lan', 'sai-mat-khau-roi');
  await expect(page.getByRole('alert')).toHaveText(c.t.wrong);
  await page.route('**/api/v1/admin/session', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 429,
          headers: { 'retry-after': '42', 'content-type': 'application/json' },
          body: JSON.stringify({ error: { code: 'rate_limited', message: 'too many attempts' } }),
        })
      : route.continue(),
  );
  await page.getByRole('button', { name: c.t.signIn }).click();
  await expect(page.getByRole('alert')).toHaveText(c.t.tooMany);
  await expect(page.getByLabel(c.t.name)).toHaveValue('lan');
});

test('english: 429 and the network gone at sign-in, then a session that ends mid-work goes back to sign-in', async ({ page }) => {
  const errors = watchErrors(page);
  const server = await start(QUEUE_OPTIONS);
  await addUser(server, 'lan', 'moderator');
  const id = await postComment(server, 'Một bình luận');
  const c = new ConsolePage(page, server.url, 'en');
  await c.open();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.route('**/api/v1/admin/session', (route) => route.abort('connectionrefused'));
  await c.signIn('lan');
  await expect(page.getByRole('alert')).toContainText(c.t.network);
  await page.unroute('**/api/v1/admin/session');
  await c.signIn('lan');
  await expect(page.locator('.me-name')).toHaveText('lan');
  await expect(c.card(id)).toBeVisible();
  // The session cookie is gone (expired, or signed out elsewhere): the next action answers 401.
  await page.context().clearCookies();
  await c.button(c.card(id), c.t.approve).click();
  await expect(page.locator('.notice')).toHaveText(c.t.ended);
  await expect(page.getByLabel(c.t.name)).toBeVisible();
  // Network errors logged by Chromium for the refused request are expected.
  expect(errors.filter((e) => !e.includes('Failed to load resource') && !e.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
});

test('a failed reply keeps its text and says why; a server error and malformed JSON in the queue are explained', async ({ page }) => {
  const server = await start(QUEUE_OPTIONS);
  await addUser(server, 'lan', 'moderator');
  const id = await postComment(server, 'Câu hỏi của bạn đọc');
  const c = new ConsolePage(page, server.url);
  await c.open();
  await c.signedIn('lan');
  const card = c.card(id);
  await c.button(card, c.t.reply).click();
  await page.route('**/api/v1/admin/comments/*/reply', (route) =>
    route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'database is locked' } }) }),
  );
  await card.getByLabel('Trả lời chính thức').fill('Cảm ơn bạn đã hỏi.');
  await c.button(card, c.t.replySend).click();
  await expect(card.getByRole('alert')).toContainText(c.t.server);
  await expect(card.getByRole('alert')).toContainText('internal: database is locked');
  await expect(card.getByLabel('Trả lời chính thức')).toHaveValue('Cảm ơn bạn đã hỏi.');

  // 403: the account may not do it.
  await page.route('**/api/v1/admin/queue/actions', (route) =>
    route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'forbidden', message: 'admin only' } }) }),
  );
  await c.button(card, c.t.approve).click();
  await expect(card.getByRole('alert').first()).toContainText(c.t.forbidden);
  await expect(card).toBeVisible();

  await page.route('**/api/v1/admin/queue?**', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"items": [' }));
  await page.route('**/api/v1/admin/queue', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"items": [' }));
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  await expect(page.getByRole('alert').first()).toHaveText(c.t.malformed);
});

test('the network gone while working: the queue says so, and the language toggle is remembered', async ({ page }) => {
  const server = await start(QUEUE_OPTIONS);
  await addUser(server, 'lan', 'moderator');
  const c = new ConsolePage(page, server.url);
  await c.open();
  await c.signedIn('lan');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(c.tab('Queue')).toBeVisible();
  await page.route('**/api/v1/admin/**', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByRole('alert').first()).toContainText('Could not reach the server');
  await page.unroute('**/api/v1/admin/**');
  await page.goto(`${server.url}/admin/`);
  await expect(c.tab('Queue')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
