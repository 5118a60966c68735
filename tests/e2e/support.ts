import { expect, type Page, type TestInfo, type Locator } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Holds the page's requests to `url` (only those of `method`, when given)
 *  until the returned function is called. */
export async function holdRequests(
  page: Page,
  url: string | RegExp | ((u: URL) => boolean),
  method?: string,
): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route(url, async (route) => {
    if (method && route.request().method() !== method) return route.fallback();
    await released;
    await route.continue();
  });
  return release;
}

/** Serves test-only pages and fixtures under /e2e/ without shipping them in dist/. */
export async function serveTestFiles(page: Page) {
  await page.route('**/e2e/**', async (route) => {
    const name = new URL(route.request().url()).pathname.replace(/^\/e2e\//, '');
    if (!/^[a-z0-9-]+\.(html|json)$/.test(name)) return route.fulfill({ status: 404 });
    const dir = name.endsWith('.html') ? 'pages' : 'fixtures';
    const file = join(__dirname, dir, name);
    if (!existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    const body = readFileSync(file);
    const contentType = name.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/json';
    await route.fulfill({ body, contentType });
  });
}

/** Collects console errors and uncaught exceptions; assert it is empty at the end. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return errors;
}

/** The n-th Bantin mount point; locators pierce its open shadow root. */
export function mount(page: Page, n = 0): Locator {
  return page.locator('[data-bantin]').nth(n);
}

export async function screenshot(page: Page, info: TestInfo, name: string) {
  const path = join(__dirname, 'artifacts', 'screenshots', `${info.project.name}-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: 'image/png' });
}

export { expect };

/** Where the widget posts a comment (with its credential as `?visitor=`, once it has one; gloo-net ends a query it was given with `&`), not the list. */
export const POST_COMMENTS = /\/comments(\?visitor=[^&]*&?)?$/;

/** With Math.random pinned to 0 the drawn code is "AAAAA": the test can type it. */
export async function pinCaptcha(page: Page) {
  await page.addInitScript(() => {
    Math.random = () => 0;
  });
}

/** Page object of a comments part (its form, status line and list). */
export class CommentForm {
  constructor(readonly root: Locator) {}
  body = () => this.root.getByLabel('Nội dung bình luận');
  name = () => this.root.getByLabel('Họ và tên');
  code = () => this.root.getByLabel('Mã xác thực', { exact: true });
  submit = () => this.root.getByRole('button', { name: 'Gửi bình luận' });
  status = () => this.root.locator('.bt-form-status');
  items = () => this.root.locator('.bt-comment-page > .bt-comment');
  async fill(name: string, body: string, code?: string) {
    await this.name().fill(name);
    await this.body().fill(body);
    if (code !== undefined) await this.code().fill(code);
  }
  /** Fills the form (the code too, when the form has one) and sends it. */
  async send(name: string, body: string, code = 'AAAAA') {
    await this.fill(name, body);
    if (await this.code().count()) await this.code().fill(code);
    await this.submit().click();
  }
}

/**
 * Scrolls to the rating and comments of the n-th mount point, as a reader
 * does: their code loads when they come near the screen (after the article).
 * Waits until they are mounted; a mount point without them returns at once.
 */
export async function reachParts(page: Page, n = 0): Promise<Locator> {
  const m = mount(page, n);
  await expect(m).toHaveAttribute('data-bantin-ready', '');
  // Scrolled from the page: the skeleton may go at any moment (no waiting on it).
  await m.evaluate((host) => host.shadowRoot?.querySelector('.bt-deferred')?.scrollIntoView({ block: 'center' }));
  await expect(m.locator('.bt-deferred')).toHaveCount(0);
  return m;
}
