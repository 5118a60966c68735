import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const SERVER_BIN = process.env.BANTIN_SERVER_BIN ?? join(ROOT, 'target/debug/bantin-server');
/** The article of the demo's documents (public/articles) that most tests use. */
export const ARTICLE_ID = 'ky-anh-2022-11-15';

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

/**
 * A bantin-server of its own for one test: fresh SQLite file, serving a copy of
 * dist/ with the test pages under /e2e/ (real files: Chromium treats pages
 * fulfilled by page.route as public, and then refuses their loopback API calls).
 * `restart()` starts it again on the same port and database.
 */
export class TestServer {
  private child?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'bantin-e2e-'));
  constructor(readonly port: number, readonly extra: string[] = [], readonly env: Record<string, string> = {}) {
    cpSync(join(ROOT, 'dist'), join(this.dir, 'dist'), { recursive: true });
    cpSync(join(__dirname, 'pages'), join(this.dir, 'dist', 'e2e'), { recursive: true });
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(extra: string[] = [], env: Record<string, string> = {}) {
    const s = new TestServer(await freePort(), extra, env);
    await s.restart();
    return s;
  }

  async restart() {
    const args = [
      '--addr', `127.0.0.1:${this.port}`,
      '--db', join(this.dir, 'bantin.db'),
      '--dist', join(this.dir, 'dist'),
      '--articles', join(ROOT, 'public/articles'),
      '--rate-comments', '0',
      '--rate-writes', '0',
      '--min-submit-ms', '1000',
      // Every test's browser is a new reader on 127.0.0.1: no daily cap on new credentials.
      '--visitors-per-network', '0',
      '--log', 'warn',
      ...this.extra,
    ];
    this.child = spawn(SERVER_BIN, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...this.env } });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      try {
        const r = await fetch(`${this.url}/api/v1/stats`);
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`bantin-server did not start on ${this.url}`);
  }

  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  }

  async dispose() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * For a spec whose tests start servers of their own: returns `start(extra, env)`;
 * every server a test started is disposed after it.
 */
export function serversPerTest() {
  let servers: TestServer[] = [];
  test.afterEach(async () => {
    await Promise.all(servers.map((s) => s.dispose()));
    servers = [];
  });
  return async (extra: string[] = [], env: Record<string, string> = {}) => {
    const s = await TestServer.start(extra, env);
    servers.push(s);
    return s;
  };
}

/** A reader's comment (or, with `parent_id`, reply) through the public API of
 *  a server that asks for no captcha (`--captcha off --min-submit-ms 0`); its id. */
export async function postComment(
  server: TestServer,
  body: string,
  author = 'Bạn đọc',
  { article = ARTICLE_ID, parent_id }: { article?: string; parent_id?: number } = {},
): Promise<number> {
  const r = await fetch(`${server.url}/api/v1/articles/${article}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author, body, parent_id, elapsed_ms: 5000 }),
  });
  expect(r.status, await r.clone().text()).toBe(201);
  return (await r.json()).id;
}
