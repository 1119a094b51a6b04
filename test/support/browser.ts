/**
 * Debian's Chromium driven by playwright-core, for the page tests: headless,
 * no sandbox (containers), nothing phoning home, a fresh context per page.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Chromium's headless shell (Debian's chromium-headless-shell, what Playwright itself runs for
 * headless tests) where it is installed: the same Blink, without the full browser's UI, so the page
 * files cost a third of the CPU (123 → 38 CPU-s, 2 min → 1 min for test/browser alone). Else the full
 * `chromium`; CHROMIUM_PATH picks another.
 */
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');

export interface TestBrowser {
  /** A new tab; `locale` sets navigator.languages (and Accept-Language). */
  page(options?: { locale?: string; width?: number }): Promise<Page>;
  close(): Promise<void>;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * One Chromium per worker, kept from one test file to the next (the files share their worker:
 * isolate false, vitest.config.ts): a launch costs ~1 CPU-s, and every page gets a fresh context
 * anyway. Playwright kills it when the worker exits; one that crashed is launched again.
 */
let workerChromium: Promise<Browser> | undefined;

function chromiumOfThisWorker(): Promise<Browser> {
  if (!workerChromium) {
    const launched = chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    workerChromium = launched;
    launched.then(
      (browser) => browser.on('disconnected', () => workerChromium === launched && (workerChromium = undefined)),
      () => workerChromium === launched && (workerChromium = undefined),
    );
  }
  return workerChromium;
}

export async function startBrowser(): Promise<TestBrowser> {
  // A fresh context (its own cookies, storage and permissions, as a fresh profile has) per page:
  // launching Chromium for every page cost ~0.7 s each, a context ~0.3 s.
  const contexts: BrowserContext[] = [];
  return {
    async page(options = {}) {
      const ctx = await (await chromiumOfThisWorker()).newContext({
        locale: options.locale ?? 'en-US',
        viewport: { width: options.width ?? 420, height: 900 },
        deviceScaleFactor: 1,
      });
      // Fail at the step that is stuck, well before the test's own timeout.
      ctx.setDefaultTimeout(10_000);
      contexts.push(ctx);
      return ctx.newPage();
    },
    /** Closes this file's pages; the worker's Chromium stays for the next file. */
    async close() {
      for (const ctx of contexts.splice(0)) await ctx.close().catch(() => undefined);
    },
  };
}

let axeSource: string | undefined;

/**
 * axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A/AA
 * and best practices). Its source is evaluated through the DevTools protocol, which
 * the pages' CSP (scripts from 'self' only) does not apply to.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const { axe, document } = globalThis as any;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as any[]).map((v) => ({
      id: v.id,
      impact: v.impact as string,
      nodes: (v.nodes as any[]).map((n) => String(n.target)).slice(0, 3),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.join(' | ')}`);
}
