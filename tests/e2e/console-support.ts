// The moderation console's page object and helpers: accounts on a
// TestServer's database, comments and reports through the public API, axe.
import { expect, type Locator, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ARTICLE_ID, SERVER_BIN, type TestServer } from './server';

export { ARTICLE_ID, postComment } from './server';

export const PASSWORD = 'mat-khau-dai-123';
/** Server options of the console's tests: every comment waits for an editor. */
export const QUEUE_OPTIONS = ['--moderation', 'queue', '--captcha', 'off', '--min-submit-ms', '0'];

/** `bantin-server --db DB user add NAME --role ROLE`, the password on stdin. */
export async function addUser(server: TestServer, name: string, role: 'admin' | 'moderator' = 'moderator', password = PASSWORD) {
  await new Promise<void>((done, fail) => {
    const child = spawn(SERVER_BIN, ['--db', join(server.dir, 'bantin.db'), 'user', 'add', name, '--role', role], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`user add ${name}: exit ${code}: ${err}`))));
    child.stdin.end(`${password}\n`);
  });
}

/** A new visitor credential from the public API. */
export async function visitor(server: TestServer): Promise<string> {
  const v = await fetch(`${server.url}/api/v1/visitors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return (await v.json()).visitor;
}

/** A reader's report of comment `id`. */
export async function report(server: TestServer, id: number, article = ARTICLE_ID) {
  const r = await fetch(`${server.url}/api/v1/articles/${article}/comments/${id}/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitor: await visitor(server), reason: 'spam' }),
  });
  expect([200, 201, 204], await r.clone().text()).toContain(r.status);
}

/** The published comments of an article, as the public API lists them. */
export async function published(server: TestServer, article = ARTICLE_ID): Promise<any[]> {
  const r = await fetch(`${server.url}/api/v1/articles/${article}/comments?limit=100`);
  return (await r.json()).items;
}

export const TEXT = {
  vi: {
    name: 'Tên đăng nhập', password: 'Mật khẩu', signIn: 'Đăng nhập', signOut: 'Đăng xuất',
    queue: 'Hàng chờ', reported: 'Bị báo cáo', bans: 'Lệnh cấm', keywords: 'Từ khoá', audit: 'Nhật ký',
    deliveries: 'Thông báo gửi đi', data: 'Dữ liệu', accounts: 'Tài khoản',
    approve: 'Duyệt', reject: 'Từ chối', delete: 'Xoá', deleteYes: 'Xoá hẳn', reply: 'Trả lời', ban: 'Cấm',
    replySend: 'Đăng trả lời', selectAll: 'Chọn tất cả trên trang', save: 'Lưu', lift: 'Gỡ lệnh cấm',
    wrong: 'Sai tên đăng nhập hoặc mật khẩu.', tooMany: 'Đăng nhập sai quá nhiều lần, vui lòng thử lại sau 42 giây.',
    ended: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.', network: 'Không kết nối được tới máy chủ',
    malformed: 'Máy chủ trả về dữ liệu không đọc được.', server: 'Máy chủ đang gặp sự cố (mã lỗi 500)',
    forbidden: 'Tài khoản của bạn không có quyền làm việc này.', other: 'English',
    total: (n: string) => `Tổng số: ${n}`, selected: (n: string) => `Đã chọn ${n}`, admin: 'Quản trị', moderator: 'Kiểm duyệt viên',
  },
  en: {
    name: 'Account name', password: 'Password', signIn: 'Sign in', signOut: 'Sign out',
    queue: 'Queue', reported: 'Reported', bans: 'Bans', keywords: 'Keywords', audit: 'Audit log',
    deliveries: 'Deliveries', data: 'Data', accounts: 'Accounts',
    approve: 'Approve', reject: 'Reject', delete: 'Delete', deleteYes: 'Delete for good', reply: 'Reply', ban: 'Ban',
    replySend: 'Post the reply', selectAll: 'Select all on this page', save: 'Save', lift: 'Lift the ban',
    wrong: 'Wrong account name or password.', tooMany: 'Too many attempts, try again in 42 s.',
    ended: 'Your session has ended. Please sign in again.', network: 'Could not reach the server',
    malformed: "The server's answer could not be read.", server: 'The server had a problem (status 500)',
    forbidden: 'Your account may not do this.', other: 'Tiếng Việt',
    total: (n: string) => `Total: ${n}`, selected: (n: string) => `${n} selected`, admin: 'Admin', moderator: 'Moderator',
  },
} as const;
export type Lang = keyof typeof TEXT;

/** The console as an editor uses it. */
export class ConsolePage {
  readonly t: (typeof TEXT)[Lang];
  constructor(readonly page: Page, readonly base: string, readonly lang: Lang = 'vi') {
    this.t = TEXT[lang];
  }

  /** The console; `query`: more of its address's query (`comment=7`). */
  async open(query = '') {
    const q = [this.lang === 'en' ? 'lang=en' : '', query].filter((x) => x).join('&');
    await this.page.goto(`${this.base}/admin/${q ? `?${q}` : ''}`);
    await expect(this.page.locator('main#main')).not.toContainText('Đang tải…');
  }

  async signIn(name: string, password = PASSWORD) {
    await this.page.getByLabel(this.t.name).fill(name);
    await this.page.getByLabel(this.t.password).fill(password);
    await this.page.getByRole('button', { name: this.t.signIn }).click();
  }

  async signedIn(name: string) {
    await this.signIn(name);
    await expect(this.page.locator('.me-name')).toHaveText(name);
  }

  tab(name: string): Locator {
    return this.page.locator('nav.tabs').getByRole('button', { name, exact: true });
  }

  async go(name: string) {
    await this.tab(name).click();
    await expect(this.page.locator('section.panel h1')).toHaveText(name);
  }

  card(id: number): Locator {
    return this.page.locator(`li.item[data-id="${id}"]`);
  }

  button(card: Locator, name: string): Locator {
    return card.getByRole('button', { name, exact: true });
  }

  total(): Locator {
    return this.page.locator('.total');
  }
}

const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core over the whole page; readable violations. */
export async function axe(page: Page, state: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async (tags) => {
    const result = await (window as any).axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => JSON.stringify(n.target)).join(' ')}`);
  }, TAGS);
  return violations.map((v: string) => `[${state}] ${v}`);
}

/** Interactive elements smaller than 44 × 44 px (checkboxes count by their label). */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('main a, main button, main input, main select, main textarea, header button')]
      .map((el) => (el.matches('input[type=checkbox], input[type=radio]') ? el.closest('label') ?? el : el))
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => [el, el.getBoundingClientRect()] as const)
      .filter(([, r]) => r.width < 44 || r.height < 44)
      .map(([el, r]) => `${el.localName}.${el.className} "${el.textContent?.trim().slice(0, 20)}" ${Math.round(r.width)}x${Math.round(r.height)}`),
  );
}

/** Whether the page scrolls sideways. */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
