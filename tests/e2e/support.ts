import { expect, type Page, type TestInfo, type Locator } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
