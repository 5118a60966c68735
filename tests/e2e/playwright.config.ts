import { defineConfig, devices } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SERVER_BIN } from './server';

// Debian's Chromium; Playwright downloads no browser. The flags keep Chromium
// off the network (this machine has none) and run it as root in a container.
const launchOptions = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run',
  ],
};

const port = Number(process.env.BANTIN_E2E_PORT ?? 4173);

export default defineConfig({
  testDir: '.',
  outputDir: './artifacts/results',
  // Several tests go through two browsers, a server restart and reloads; on a
  // 2-core CI machine running two workers that takes more than 30 s.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'phone', use: { ...devices['Pixel 7'], launchOptions } },
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 900 }, launchOptions } },
  ],
  webServer: {
    // The shared server for tests that only read: widget files, demo articles,
    // and an API on a throw-away database. Tests that write start their own (server.ts).
    command: [
      SERVER_BIN, '--addr', `127.0.0.1:${port}`, '--db', join(mkdtempSync(join(tmpdir(), 'bantin-e2e-')), 'shared.db'),
      '--dist', join(ROOT, 'dist'), '--articles', join(ROOT, 'public/articles'), '--log', 'warn',
      '--rate-writes', '0', '--rate-comments', '0',
      // Every test's browser is a new reader on 127.0.0.1: no daily cap on new credentials.
      '--visitors-per-network', '0',
    ].join(' '),
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
