import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core: headless, no sandbox (CI runs as
 * root), nothing that phones home, a fresh profile per launch.
 */
export function chromiumPath(): string {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (p && fs.existsSync(p)) return p;
  throw new Error('No Chromium: install it (apt-get install chromium) or set CHROMIUM_PATH');
}

const utf8Locale = (lang: string | undefined) => (lang && /utf-?8/i.test(lang) ? lang : 'C.UTF-8');

/**
 * A browser with its first page open (the persistent context starts with one), waiting up to
 * 15 s for an element by default; a test that needs more sets its own.
 */
export async function launchBrowser(opts: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: opts.viewport ?? { width: 1366, height: 860 },
    locale: opts.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // A UTF-8 locale for the browser process whatever the shell has: under C/POSIX Chromium
    // cannot name a download 销售发票-….pdf on disk and saves it as "download".
    env: { ...process.env, LANG: utf8Locale(process.env.LANG) },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Logs in through the login page as `who` and waits until the app shows `next`. The wait
 * compares the path exactly: the login page's own address (/login?next=/o/deal) also ends
 * in the target, and a pattern on the whole URL would count it as arrived.
 */
export async function logIn(page: Page, who: { base: string; email: string; password: string }, next: string): Promise<void> {
  await page.goto(`${who.base}/login?next=${encodeURIComponent(next)}`);
  await page.fill('#login_email', who.email);
  await page.fill('#login_password', who.password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => u.pathname === next.split('?')[0]);
}
