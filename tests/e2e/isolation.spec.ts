import { test, type Page } from '@playwright/test';
import { expect, mount, screenshot, watchErrors, reachParts } from './support';

const PAGE = '/embed-hostile.html';
/** Widget elements compared between the plain and the hostile portal. */
const PARTS = [
  '.bt-root', '.bt-category', 'h1', '.bt-meta', '.bt-summary', '.bt-body > p', 'figure img',
  'figcaption', 'blockquote', '.bt-related a', '.bt-part-title', '.bt-star', '.bt-rating-summary',
  '.bt-field > label', '#bt-name', '#bt-email', '#bt-body', '#bt-code', '.bt-code-image', '.bt-icon-button',
  '.bt-comment-form .bt-button', '.bt-counters dt', '.bt-visits',
];
const PROPS = [
  'fontSize', 'fontFamily', 'fontWeight', 'fontStyle', 'lineHeight', 'color', 'backgroundColor', 'display',
  'letterSpacing', 'wordSpacing', 'textTransform', 'textIndent', 'textAlign', 'whiteSpace', 'cursor', 'visibility', 'paddingTop', 'paddingLeft',
  'marginTop', 'borderTopWidth', 'outlineStyle',
] as const;

/** Geometry relative to the widget's root, and computed styles, of every PARTS element. */
async function widgetLayout(page: Page) {
  await expect(mount(page).locator('.bt-visits')).toBeVisible();
  await expect(mount(page).locator('h1')).toBeVisible();
  return page.evaluate(({ parts, props }) => {
    const shadow = document.querySelector('[data-bantin]')!.shadowRoot!;
    const origin = shadow.querySelector('.bt-root')!.getBoundingClientRect();
    const out: Record<string, unknown[]> = {};
    for (const sel of parts) {
      out[sel] = [...shadow.querySelectorAll(sel)].map((el) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el) as unknown as Record<string, string>;
        return {
          box: [r.x - origin.x, r.y - origin.y, r.width, r.height].map((v) => Math.round(v)),
          style: Object.fromEntries(props.map((p) => [p, s[p]])),
        };
      });
    }
    return out;
  }, { parts: PARTS, props: [...PROPS] });
}

/** Computed styles and boxes of the portal's own elements (outside the widget). */
async function portalStyles(page: Page) {
  return page.evaluate((props) => {
    const ids = ['portal-header', 'portal-lead', 'portal-link', 'portal-button', 'portal-main', 'portal-box', 'portal-note', 'portal-footer'];
    const styles = (el: Element) => {
      const s = getComputedStyle(el) as unknown as Record<string, string>;
      return Object.fromEntries(props.map((p) => [p, s[p]]));
    };
    return {
      html: styles(document.documentElement),
      body: styles(document.body),
      ...Object.fromEntries(ids.map((id) => [id, styles(document.getElementById(id)!)])),
      header: [...document.querySelectorAll('#portal-header *')].map((e) => {
        const r = e.getBoundingClientRect();
        return [e.localName, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
      }),
      sheets: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
    };
  }, [...PROPS, 'boxSizing', 'marginLeft', 'paddingBottom']);
}

function expectClose(hostile: Record<string, any[]>, plain: Record<string, any[]>) {
  for (const sel of PARTS) {
    expect(hostile[sel].length, `${sel} count`).toBe(plain[sel].length);
    expect(plain[sel].length, `${sel} exists`).toBeGreaterThan(0);
    plain[sel].forEach((p, i) => {
      const h = hostile[sel][i];
      expect(h.style, `${sel}[${i}] style`).toEqual(p.style);
      h.box.forEach((v: number, k: number) => expect(Math.abs(v - p.box[k]), `${sel}[${i}] box ${k}: ${h.box} vs ${p.box}`).toBeLessThanOrEqual(2));
    });
  }
}

test('a hostile portal stylesheet changes nothing inside the widget', async ({ page }, info) => {
  const errors = watchErrors(page);
  // The same page without its hostile stylesheet is the reference.
  await page.route('**/embed-hostile.css', (r) => r.fulfill({ body: '', contentType: 'text/css' }));
  await page.goto(PAGE);
  await reachParts(page);
  const plain = await widgetLayout(page);
  await page.unroute('**/embed-hostile.css');
  await page.goto(PAGE);
  await reachParts(page);
  // The hostile sheet is really there: the portal's own text is red 30px serif.
  expect(await page.locator('#portal-lead').evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).fontSize])).toEqual(['rgb(255, 0, 0)', '30px']);
  expect(await page.locator('#portal-button').evaluate((e) => getComputedStyle(e).display)).toBe('none');
  const hostile = await widgetLayout(page);
  expectClose(hostile, plain);
  // `div { padding: 40px }` hits the mount element itself: the widget's :host rule wins.
  const host = await page.locator('#bantin-story').evaluate((e) => getComputedStyle(e).padding);
  expect(host).toBe('0px');
  // The widget's buttons are visible and the root keeps its own font.
  expect(plain['.bt-star'].every((s: any) => s.style.display !== 'none')).toBe(true);
  expect((plain['.bt-root'][0] as any).style.fontSize).toBe('16px');
  await screenshot(page, info, 'hostile-portal');
  expect(errors).toEqual([]);
});

test('the widget changes nothing outside its mount point', async ({ page }) => {
  for (const hostileCss of [false, true]) {
    if (!hostileCss) await page.route('**/embed-hostile.css', (r) => r.fulfill({ body: '', contentType: 'text/css' }));
    else await page.unroute('**/embed-hostile.css');
    // Without the widget: bantin.js is an empty module.
    await page.route('**/bantin.js', (r) => r.fulfill({ body: '', contentType: 'text/javascript' }));
    await page.goto(PAGE);
    await page.waitForLoadState('load');
    const without = await portalStyles(page);
    await page.unroute('**/bantin.js');
    await page.goto(PAGE);
    await expect(mount(page).locator('.bt-visits')).toBeVisible();
    const withWidget = await portalStyles(page);
    expect(withWidget).toEqual(without);
  }
});
