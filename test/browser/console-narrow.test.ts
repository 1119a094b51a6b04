/**
 * The staff console on a phone (390 px wide), in English and Persian: no tab
 * widens the page (wide tables become cards), the charts' value labels stay
 * inside the chart ("500,000" keeps every digit), and the buttons staff tap —
 * "Make a portal link", "Replay" — are on top where they are drawn.
 * UPDATE_SCREENSHOTS=1 writes docs/screenshots/admin-390-<tab>.png.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { memberWithHistory, seedCatalog } from '../support/pages';
import { sendGeneric, useWebhookSecrets, waitFor } from '../support/webhooks';

const SHOTS = process.env.UPDATE_SCREENSHOTS ? join(process.cwd(), 'docs/screenshots') : join(tmpdir(), 'loyalty-screenshots');
mkdirSync(SHOTS, { recursive: true });

let club: TestClub;
let browser: TestBrowser;
let memberId: string;
let parkedId: string;

beforeAll(async () => {
  club = await startTestClub();
  browser = await startBrowser();
  await seedCatalog(club, { timeZone: 'Asia/Tehran' });
  ({ memberId } = await memberWithHistory(club, { email: `${uniqueId('long-address-of-a-shopper')}@example.com`, phone: '+989121234567' }));
  // A big order: the points chart's scale reaches 500,000.
  const big = await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '450000.00', currency: 'USD' });
  expect(big.status, JSON.stringify(big.body)).toBe(200);
  // A delivery parked for its currency: the Deliveries tab has a row with Replay.
  useWebhookSecrets();
  const orderId = uniqueId('gbp-order');
  expect((await sendGeneric(club, { event: 'order.paid', orderId, amount: '30.00', currency: 'GBP', customer: { memberId } })).status).toBe(
    202,
  );
  parkedId = (
    await waitFor(
      async () =>
        ((await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[]).find((d) => d.body.includes(orderId)),
      'the GBP order to be parked',
    )
  ).id;
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
});

// The browser's globals: the root tsconfig is Node's.
const overflow = (page: Page) =>
  page.evaluate(() => {
    const { document, innerWidth } = globalThis as any;
    return { scrollWidth: document.documentElement.scrollWidth as number, innerWidth: innerWidth as number };
  });

/** The element itself (or something inside it) is what a tap at its centre lands on. */
async function tappable(button: Locator): Promise<boolean> {
  await button.scrollIntoViewIfNeeded();
  return button.evaluate((el: any) => {
    const { document, innerWidth } = globalThis as any;
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return r.width > 0 && r.right <= innerWidth && r.left >= 0 && !!hit && el.contains(hit);
  });
}

/** Each chart value label lies within its chart (no clipped digit). */
const clippedLabels = (page: Page) =>
  page.locator('figure svg').evaluateAll((svgs: any[]) =>
    svgs.flatMap((svg) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text')]
        .filter((t: any) => {
          const r = t.getBoundingClientRect();
          return r.left < box.left - 0.5 || r.right > box.right + 0.5;
        })
        .map((t: any) => t.textContent);
    }),
  );

async function signIn(lang: 'en' | 'fa'): Promise<Page> {
  const page = await browser.page({ width: 390, locale: lang === 'fa' ? 'fa-IR' : 'en-US' });
  await page.goto(`${club.url}/admin`);
  await page.locator('input[name=token]').fill(club.token);
  await page.locator('form.signin button[type=submit]').click();
  await expect.poll(() => page.getByTestId('who').count()).toBe(1);
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  return page;
}

const tab = async (page: Page, name: string, ready: string) => {
  await page.locator(`[data-tab=${name}]`).click();
  await expect.poll(() => page.locator(ready).count()).toBeGreaterThan(0);
};

describe('the console at 390 px', () => {
  for (const lang of ['en', 'fa'] as const) {
    it(`${lang}: every tab fits the screen, charts keep their labels, and the buttons are tappable`, async () => {
      const page = await signIn(lang);
      const shot = async (name: string) => {
        if (lang === 'en') await page.screenshot({ path: join(SHOTS, `admin-390-${name}.png`), fullPage: true });
      };
      const fits = async (where: string) =>
        expect(await overflow(page), where).toSatisfy((o: { scrollWidth: number; innerWidth: number }) => o.scrollWidth <= o.innerWidth);

      // Members: the profile, the ledger as cards, "Make a portal link".
      await fits('members');
      await page.locator('input[name=q]').fill(memberId);
      await page.locator('form.search button[type=submit]').click();
      await expect.poll(() => page.getByTestId('ledger').locator('tbody tr').count()).toBe(4);
      await fits('a member');
      const link = page.getByTestId('make-link');
      expect(await tappable(link)).toBe(true);
      await link.click();
      await expect.poll(() => page.locator('a[target=_blank]').count()).toBe(1);
      await fits('a member with a link');
      await shot('members');

      await tab(page, 'Deliveries', `[data-delivery="${parkedId}"]`);
      await fits('deliveries');
      expect(await tappable(page.locator(`[data-delivery="${parkedId}"] [data-action=replay]`))).toBe(true);
      expect(await tappable(page.locator(`[data-delivery="${parkedId}"] [data-action=dismiss]`))).toBe(true);
      await shot('deliveries');

      await tab(page, 'Program', '[data-testid=calendar]');
      await fits('program');
      await shot('program');
      await page.locator('[data-action=edit-program]').click();
      await expect.poll(() => page.getByTestId('program-editor').count()).toBe(1);
      await fits('the program editor');
      await shot('program-editor');

      await tab(page, 'Reports', 'figure svg circle');
      await fits('reports');
      const labels = await page.locator('[data-chart=Points] svg text').allTextContents();
      expect(labels).toContain(lang === 'fa' ? '۵۰۰٬۰۰۰' : '500,000');
      expect(await clippedLabels(page)).toEqual([]);
      await shot('reports');

      await tab(page, 'Costs', '[data-route]');
      await fits('costs');
      await shot('costs');
    });
  }
});
