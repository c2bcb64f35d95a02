import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** Small helpers for driving Ant Design widgets the way a person does, plus failure screenshots. */
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
export const OUTPUT = path.join(root, 'test-output', 'e2e');

/** On a failed test, a full-page screenshot in test-output/e2e/<file>--<test>.png. */
export function screenshotOnFailure(file: string, page: () => Page | undefined): void {
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const p = page();
    if (!p) return;
    fs.mkdirSync(OUTPUT, { recursive: true });
    const name = `${file}--${ctx.task.name}`.replace(/[^\w一-龥-]+/g, '_').slice(0, 120);
    await p.screenshot({ path: path.join(OUTPUT, `${name}.png`), fullPage: true }).catch(() => undefined);
  });
}

/** The antd Select around the input with this id (the element pickOption clicks). */
export const selectOf = (page: Page, id: string): Locator => page.locator(`#${id}`).locator('xpath=ancestor::div[contains(@class,"ant-select")][1]');

/**
 * Opens a Select, types to search, clicks the option showing `text`.
 * `inModal`: inside a modal the option list can sit under the modal's wrapper while it animates
 * (Playwright then sees the click land on the wrapper): the option is chosen by its click event,
 * as the select handles it, once it is in the page.
 */
export async function pickOption(page: Page, select: Locator, text: string, search = text, { inModal = false } = {}): Promise<void> {
  await select.click();
  if (search) await page.keyboard.type(search);
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first();
  if (inModal) {
    await option.waitFor({ state: 'attached' });
    await option.dispatchEvent('click');
    return;
  }
  await option.waitFor({ state: 'visible' });
  await option.click();
}

/** Waits for an antd message toast with `text`. */
export async function toast(page: Page, text: string | RegExp): Promise<void> {
  await expect.poll(() => page.locator('.ant-message-notice').filter({ hasText: text }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
}

export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}
