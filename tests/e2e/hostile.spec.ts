import { test } from '@playwright/test';
import { expect, serveTestFiles, watchErrors } from './support';

test('a hostile html block executes nothing and keeps the allowed text', async ({ page }) => {
  const errors = watchErrors(page);
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1')) outside.push(r.url());
  });
  await serveTestFiles(page);
  await page.goto('/e2e/hostile.html');
  const root = page.locator('[data-bantin]');
  await expect(root.locator('.bt-html')).toContainText('Đoạn cuối vẫn giữ.');

  // Text fields stay text.
  await expect(root.locator('h1')).toHaveText("Bài thử <script>window.__pwned='title'</script>");
  await expect(root.locator('.bt-body > p').first()).toHaveText(`<b onmouseover="window.__pwned='text'">chỉ là chữ</b>`);
  await expect(root.locator('figcaption')).toHaveText('<i>chú thích</i>');

  const html = root.locator('.bt-html');
  for (const kept of ['Đoạn an toàn', 'đậm', 'liên kết thật', 'liên kết javascript', 'đoạn có style bị gỡ', 'khối bấm được', 'ô bảng']) {
    await expect(html).toContainText(kept);
  }
  await expect(html.locator('strong')).toHaveText('đậm');
  await expect(html.locator('a[href="https://example.org/tin"]')).toHaveText('liên kết thật');

  // Interact with everything that could carry a handler.
  await html.getByText('liên kết javascript').click();
  await html.getByText('khối bấm được').click();
  await html.getByText('đoạn có style bị gỡ').hover();
  // The related link with a javascript: URL is left out; the safe one stays.
  await expect(root.locator('.bt-related a')).toHaveText(['liên kết tốt']);
  await page.waitForTimeout(300);

  const report = await page.evaluate(() => {
    const shadow = document.querySelector('[data-bantin]')!.shadowRoot!;
    const all = [...shadow.querySelectorAll('.bt-article *')];
    return {
      pwned: (window as any).__pwned ?? null,
      tags: [...new Set(all.map((e) => e.localName))].sort(),
      handlers: all.flatMap((e) => e.getAttributeNames().filter((n) => n.startsWith('on') || n === 'style' || n === 'srcdoc' || n === 'background')),
      hrefs: all.map((e) => e.getAttribute('href') ?? e.getAttribute('src')).filter((u) => u !== null),
      bodyStyle: getComputedStyle(document.body).backgroundColor,
      location: location.href,
    };
  });
  expect(report.pwned).toBeNull();
  expect(report.handlers).toEqual([]);
  for (const forbidden of ['script', 'iframe', 'object', 'svg', 'style', 'form', 'input', 'button', 'meta', 'base', 'math', 'template', 'noscript']) {
    expect(report.tags).not.toContain(forbidden);
  }
  for (const url of report.hrefs) expect(url).toMatch(/^(https?:|mailto:)/);
  expect(report.bodyStyle).not.toBe('rgb(255, 0, 0)');
  expect(report.location).toMatch(/\/e2e\/hostile\.html$/);
  expect(outside.filter((u) => u.includes('evil'))).toEqual([]);
  // `<img src=x>` stays (a harmless relative URL) and 404s; nothing else may fail.
  expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
});
