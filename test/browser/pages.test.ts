/**
 * The member page and the staff console in a real browser (Debian's Chromium
 * through playwright-core) against the real club and DynamoDB Local.
 * UPDATE_SCREENSHOTS=1 writes docs/screenshots/*.png.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issuePortalToken } from '../../shared/portal/token';
import { formatUsd } from '../../web/common/report-format';
import { startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { memberWithHistory, portalLink, seedCatalog } from '../support/pages';
import { sendGeneric, useWebhookSecrets, waitFor } from '../support/webhooks';

const SHOTS = process.env.UPDATE_SCREENSHOTS ? join(process.cwd(), 'docs/screenshots') : join(tmpdir(), 'loyalty-screenshots');
mkdirSync(SHOTS, { recursive: true });

let club: TestClub;
let browser: TestBrowser;
beforeAll(async () => {
  club = await startTestClub();
  browser = await startBrowser();
  await seedCatalog(club, {
    timeZone: 'Asia/Tehran',
    tiers: {
      basis: 'points',
      windowMonths: 12,
      graceDays: 0,
      levels: [
        { id: 'member', name: 'Member', threshold: 0 },
        { id: 'silver', name: 'Silver', threshold: 500, multiplier: '1.25', perks: ['free shipping'] },
        { id: 'gold', name: 'Gold', threshold: 1500, multiplier: '1.5' },
      ],
    },
    bonuses: { birthday: 50, referral: { referrer: 100, referred: 50 } },
    campaigns: [
      { id: 'yalda', name: 'Yalda', start: '2026-12-19', end: '2026-12-21', target: {}, effect: { type: 'multiplier', multiplier: '2' } },
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
});

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

describe('the member page', () => {
  it('in Persian (from the browser language): right to left, Persian digits, Jalali dates', async () => {
    const { memberId } = await memberWithHistory(club, { name: 'سارا' });
    const link = await portalLink(club, memberId);
    const page = await browser.page({ locale: 'fa-IR' });
    await page.goto(link.url);
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('۳۳۵');
    expect([await page.getAttribute('html', 'lang'), await page.getAttribute('html', 'dir')]).toEqual(['fa', 'rtl']);
    // The token left the address bar.
    expect(page.url()).not.toContain('#t=');
    expect(await texts(page, '[data-testid=history] li .pts')).toEqual(['+۱۵', '+۲۰۰', '+۱۲۰']);
    expect(await texts(page, '[data-testid=history] li .what')).toEqual(['اصلاح · late delivery apology', 'خرید', 'خرید']);
    // Today in the Persian calendar: a 14xx year, never the Gregorian one.
    const today = new Intl.DateTimeFormat('fa-IR-u-ca-persian', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'Asia/Tehran',
    }).format(new Date());
    expect(today).toMatch(/^[۰-۹]+ \S+ ۱۴[۰-۹]{2}$/);
    expect((await texts(page, '[data-testid=history] .when'))[0]).toBe(today);
    expect(await page.getByTestId('next-tier').textContent()).toBe('۱۸۰ دیگر تا سطح Silver');
    const rules = await page.getByTestId('how-to-earn').textContent();
    expect(rules).toContain('خرید، ۱ امتیاز می‌گیرید.');
    expect(rules).toContain('Yalda: ۲ برابر امتیاز، از ۲۸ آذر ۱۴۰۵ تا ۳۰ آذر ۱۴۰۵.');
    expect(rules).toContain('امتیازها تا پایان ماه ۱۲\u200cام پس از ماه کسب اعتبار دارند؛ ابتدا قدیمی‌ترین امتیازها خرج می‌شوند.');
    expect(await page.getByTestId('validity').textContent()).toBe('امتیازها تا پایان ماه ۱۲\u200cام پس از ماه کسب اعتبار دارند.');
  });

  it('in English (from ?lang=): balance, history, rewards; redeeming shows the code and the new balance', async () => {
    const { memberId } = await memberWithHistory(club);
    const link = await portalLink(club, memberId, { lang: 'en' });
    const page = await browser.page({ locale: 'fa-IR' });
    await page.goto(link.url);
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('335');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    expect(await texts(page, '[data-testid=history] li .pts')).toEqual(['+15', '+200', '+120']);
    expect(await page.getByTestId('tier').textContent()).toBe('Member');
    const rules = await page.getByTestId('how-to-earn').textContent();
    expect(rules).toContain('You earn 1 point for every $1.00 you spend.');
    expect(rules).toContain('Points are valid until the end of the 12th month after the month you earn them; the oldest are spent first.');
    expect(await page.getByTestId('validity').textContent()).toBe(
      'Points are valid until the end of the 12th month after the month you earn them.',
    );
    expect(await page.getByTestId('referral-code').textContent()).toMatch(/^[A-Z0-9]{4,}/);
    // Affordable rewards have a button; the dear one says how far away it is.
    expect(await page.locator('[data-reward=big] button').count()).toBe(0);
    expect(await page.locator('[data-reward=big]').textContent()).toContain('4,665 points to go');

    await page.locator('[data-reward=free-shipping] button').click();
    // Points are spent only once the member says yes.
    await page.getByTestId('confirm-yes').click();
    await expect.poll(() => page.getByTestId('redeem-result').textContent()).toMatch(/^Done: Free shipping\. Your code: RW-/);
    expect(await page.getByTestId('balance').textContent()).toBe('235');
    expect((await texts(page, '[data-testid=history] li .pts'))[0]).toBe('−100');
    // The club agrees.
    expect((await club.api('GET', `/v1/members/${memberId}`)).body.balance).toBe(235);
  });

  it('refuses an expired or forged link and shows no member data', async () => {
    const { memberId } = await memberWithHistory(club);
    const expired = issuePortalToken(process.env.LOYALTY_PORTAL_SECRET!, memberId, new Date(Date.now() - 7_200_000), 1800).token;
    const forged = issuePortalToken('guessed-secret', memberId, new Date(), 1800).token;
    const page = await browser.page();
    for (const token of [expired, forged]) {
      await page.goto(`${club.url}/club?lang=en#t=${token}`);
      await expect.poll(() => page.getByTestId('refused').isVisible()).toBe(true);
      expect(await page.locator('[data-testid=balance]').count()).toBe(0);
      expect(await page.textContent('body')).toContain('This link is not valid or has expired.');
      // …and offers the sign-in with a code instead.
      expect(await page.getByTestId('sign-in').isVisible()).toBe(true);
    }
  });
});

describe('the staff console', () => {
  afterEach(() => {
    delete process.env.STAFF_TOKENS;
  });

  it('an operator signs in, finds a member by email, adjusts with a reason and is recorded as the actor', async () => {
    process.env.STAFF_TOKENS = 'sara:operator:operator-secret-1,omid:viewer:viewer-secret-1';
    const email = `${uniqueId('shopper')}@example.com`;
    const { memberId } = await memberWithHistory(club, { email, phone: '+989121234567' });
    const page = await browser.page({ width: 1100 });
    await page.goto(`${club.url}/admin`);
    await page.getByLabel('token').fill('operator-secret-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toBe('sara · operator');

    await page.getByLabel('search').fill(email.toUpperCase());
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByTestId('member-balance').textContent()).toBe('335');
    expect(await page.getByTestId('profile').textContent()).toContain(memberId);

    // The reason is required: the browser won't send the form without one.
    await page.getByLabel('points').fill('25');
    await page.getByRole('button', { name: 'Adjust' }).click();
    expect(await page.getByTestId('member-balance').textContent()).toBe('335');

    await page.getByLabel('reason').fill('parcel arrived late');
    await page.getByRole('button', { name: 'Adjust' }).click();
    await expect.poll(() => page.getByTestId('member-balance').textContent()).toBe('360');
    const firstRow = await page.locator('[data-testid=ledger] tbody tr').first().locator('td').allTextContents();
    expect(firstRow.slice(1)).toEqual(['adjust', '+25', '360', 'parcel arrived late', 'sara']);
    await page.screenshot({ path: join(SHOTS, 'admin.png'), fullPage: true });

    const ledger = await club.api('GET', `/v1/members/${memberId}/ledger?limit=1`);
    expect(ledger.body.items[0]).toMatchObject({ type: 'adjust', points: 25, reason: 'parcel arrived late', actor: 'sara' });
    // After a reload (still signed in: sessionStorage), a phone typed with Persian digits finds the same member.
    await page.reload();
    await expect.poll(() => page.getByTestId('who').textContent()).toBe('sara · operator');
    expect(await page.getByTestId('profile').count()).toBe(0);
    await page.getByLabel('search').fill('+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByTestId('profile').textContent()).toContain(memberId);
  });

  it('an operator replays a failed webhook delivery once its cause is fixed', async () => {
    process.env.STAFF_TOKENS = 'sara:operator:operator-secret-1';
    useWebhookSecrets();
    const { memberId } = await memberWithHistory(club);
    const orderId = uniqueId('eur-order');
    expect(
      (await sendGeneric(club, { event: 'order.paid', orderId, amount: '40.00', currency: 'EUR', customer: { memberId } })).status,
    ).toBe(202);
    const parked = await waitFor(async () => {
      const items = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
      return items.find((d) => d.body.includes(orderId));
    }, 'the EUR order to be parked');
    expect(parked.reason.code).toBe('CURRENCY_MISMATCH');

    // The store starts taking euros; staff replay the order from the console.
    const program = await club.api('GET', '/v1/admin/program');
    const saved = await club.api('PUT', '/v1/admin/program', {
      ...program.body,
      earning: { ...program.body.earning, currencies: { EUR: '1.10' } },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const page = await browser.page({ width: 1100 });
    await page.goto(`${club.url}/admin`);
    await page.getByLabel('token').fill('operator-secret-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Deliveries' }).click();
    const row = page.locator(`[data-delivery="${parked.id}"]`);
    await expect.poll(() => row.textContent()).toContain('CURRENCY_MISMATCH');
    await row.getByRole('button', { name: 'Replay' }).click();
    await expect.poll(() => page.textContent('body')).toContain(`Replayed ${parked.id}.`);
    expect(await row.count()).toBe(0);
    expect((await club.api('GET', `/v1/members/${memberId}`)).body.balance).toBe(335 + 44);
  });

  /** A webhook order in pounds, which the club doesn't take: parked on the failed list. */
  async function parkedDelivery(): Promise<any> {
    useWebhookSecrets();
    const { memberId } = await memberWithHistory(club);
    const orderId = uniqueId('gbp-order');
    expect(
      (await sendGeneric(club, { event: 'order.paid', orderId, amount: '30.00', currency: 'GBP', customer: { memberId } })).status,
    ).toBe(202);
    return waitFor(async () => {
      const items = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
      return items.find((d) => d.body.includes(orderId));
    }, 'the GBP order to be parked');
  }

  async function signInAs(token: string, who: string): Promise<Page> {
    const page = await browser.page({ width: 1100 });
    await page.goto(`${club.url}/admin`);
    await page.getByLabel('token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toBe(who);
    return page;
  }

  it('an operator dismisses a failed delivery with a required reason: it leaves the failed list and shows under dismissed', async () => {
    process.env.STAFF_TOKENS = 'sara:operator:operator-secret-1';
    const parked = await parkedDelivery();
    const page = await signInAs('operator-secret-1', 'sara · operator');
    await page.getByRole('button', { name: 'Deliveries' }).click();
    const row = page.locator(`[data-delivery="${parked.id}"]`);
    await expect.poll(() => row.textContent()).toContain('CURRENCY_MISMATCH');

    // No reason: the browser won't send it. A blank one: the API refuses and the console says why.
    await row.getByRole('button', { name: 'Dismiss' }).click();
    await row.getByRole('button', { name: 'Confirm dismiss' }).click();
    expect(await row.getByLabel('dismiss reason').count()).toBe(1);
    await row.getByLabel('dismiss reason').fill('   ');
    await row.getByRole('button', { name: 'Confirm dismiss' }).click();
    const refused = await club.api('POST', `/v1/admin/deliveries/${parked.id}/dismiss`, { reason: '   ' });
    expect(refused.status).toBe(400);
    await expect
      .poll(() => page.locator('.msg.error').textContent())
      .toContain(`${refused.body.error.code}: ${refused.body.error.message}`);
    expect(await row.count()).toBe(1);

    await row.getByRole('button', { name: 'Dismiss' }).click();
    await row.getByLabel('dismiss reason').fill('a test order from the staging shop');
    await row.getByRole('button', { name: 'Confirm dismiss' }).click();
    await expect.poll(() => page.textContent('body')).toContain(`Dismissed ${parked.id}.`);
    expect(await row.count()).toBe(0);

    await page.getByLabel('status').selectOption('dismissed');
    await expect.poll(() => page.locator('[data-status=dismissed]').count()).toBe(1);
    await expect.poll(() => row.textContent()).toContain('by sara: a test order from the staging shop');
    expect(await row.getByRole('button').count()).toBe(0);
    const dismissed = (await club.api('GET', '/v1/admin/deliveries?status=dismissed&limit=100')).body.items.find(
      (d: any) => d.id === parked.id,
    );
    expect(dismissed).toMatchObject({ status: 'dismissed', dismissedBy: 'sara', dismissReason: 'a test order from the staging shop' });
    expect((await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items.some((d: any) => d.id === parked.id)).toBe(
      false,
    );
    await page.getByLabel('status').selectOption('failed');
    await expect.poll(() => page.locator('[data-status=failed]').count()).toBe(1);
    expect(await row.count()).toBe(0);
  });

  it('a viewer sees failed deliveries but neither Replay nor Dismiss, and the API refuses a viewer who tries', async () => {
    process.env.STAFF_TOKENS = 'omid:viewer:viewer-secret-1';
    const parked = await parkedDelivery();
    const page = await signInAs('viewer-secret-1', 'omid · viewer');
    await page.getByRole('button', { name: 'Deliveries' }).click();
    const row = page.locator(`[data-delivery="${parked.id}"]`);
    await expect.poll(() => row.textContent()).toContain('CURRENCY_MISMATCH');
    expect(await row.getByRole('button').count()).toBe(0);
    const tried = await club.api(
      'POST',
      `/v1/admin/deliveries/${parked.id}/dismiss`,
      { reason: 'not mine to dismiss' },
      { authorization: 'Bearer viewer-secret-1' },
    );
    expect(tried.status).toBe(403);
    expect((await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items.some((d: any) => d.id === parked.id)).toBe(
      true,
    );
  });

  it('a viewer sees no adjustment form, and a wrong token is refused', async () => {
    process.env.STAFF_TOKENS = 'omid:viewer:viewer-secret-1';
    const family = `Kazemi${uniqueId('n').replace(/[^a-z0-9]/gi, '')}`;
    const { memberId } = await memberWithHistory(club, { name: `علي ${family}` });
    const page = await browser.page();
    await page.goto(`${club.url}/admin`);
    await page.getByLabel('token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.textContent('body')).toContain('That token is not valid.');
    await page.getByLabel('token').fill('viewer-secret-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toBe('omid · viewer');
    await page.getByLabel('search').fill(memberId);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByTestId('member-balance').textContent()).toBe('335');
    expect(await page.getByRole('button', { name: 'Adjust' }).count()).toBe(0);
    // By name: the start of the family name and the first name typed with the Persian ی.
    await page.reload();
    await expect.poll(() => page.getByTestId('who').textContent()).toBe('omid · viewer');
    expect(await page.getByTestId('profile').count()).toBe(0);
    await page.getByLabel('search').fill(`علی ${family.slice(0, -2).toLowerCase()}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByTestId('profile').textContent()).toContain(memberId);
  });

  it('staff page through a name many members share with "More"', async () => {
    const given = `Shahab${uniqueId('n').replace(/[^a-z0-9]/gi, '')}`;
    for (const i of Array.from({ length: 23 }, (_, n) => n)) {
      expect((await club.api('POST', '/v1/members', { name: `${given} Test${i}` })).status).toBe(201);
    }
    const page = await browser.page();
    await page.goto(`${club.url}/admin`);
    await page.getByLabel('token').fill(club.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('search').fill(given.toLowerCase());
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByTestId('results').locator('li');
    await expect.poll(() => rows.count()).toBe(20);
    await page.getByRole('button', { name: 'More' }).click();
    await expect.poll(() => rows.count()).toBe(23);
    expect(await page.getByRole('button', { name: 'More' }).count()).toBe(0);
    const names = await rows.allTextContents();
    expect(new Set(names).size).toBe(23);
  });

  it('a viewer opens Reports (figures as the API has them, charts of the series, CSV downloads) and Costs (a row per route)', async () => {
    process.env.STAFF_TOKENS = 'omid:viewer:viewer-secret-1';
    await memberWithHistory(club);
    const page = await browser.page({ width: 1100 });
    await page.goto(`${club.url}/admin`);
    await page.getByLabel('token').fill('viewer-secret-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toBe('omid · viewer');
    await page.getByRole('button', { name: 'Reports' }).click();

    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
    const figure = (key: string) => page.locator(`[data-figure=${key}] strong`).textContent();
    await expect.poll(() => page.getByTestId('reports').textContent()).toContain(`${from} – ${to}`);
    const summary = (await club.api('GET', `/v1/reports/summary?from=${from}&to=${to}`)).body;
    // At least the member seeded above: the figures are not zeros.
    expect(summary.pointsIssued).toBeGreaterThanOrEqual(320);
    const n = (v: number) => v.toLocaleString('en-US');
    expect(await figure('members')).toBe(n(summary.members));
    expect(await figure('pointsIssued')).toBe(n(summary.pointsIssued));
    expect(await figure('pointsRedeemed')).toBe(n(summary.pointsRedeemed));
    expect(await figure('pointsOutstanding')).toBe(n(summary.pointsOutstanding));
    expect(await figure('outstandingValue')).toBe(
      `$${Number(summary.outstandingValue).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    );
    expect(await figure('repeatPurchaseRate')).toBe(`${(summary.repeatPurchaseRate * 100).toFixed(1)}%`);
    expect(await figure('repeatRevenue')).toBe(`$${Number(summary.repeatRevenue).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    // What a store collecting before launch judges by: complete profiles and consent, each a rate with its count.
    const rate = (v: number) => `${(v * 100).toFixed(1)}%`;
    const hint = (key: string) => page.locator(`[data-figure=${key}] small`).textContent();
    expect(await figure('profileCompleteRate')).toBe(rate(summary.profileCompleteRate));
    expect(await hint('profileCompleteRate')).toBe(`${n(summary.profilesComplete)} members`);
    expect(await figure('smsConsentRate')).toBe(rate(summary.smsConsentRate));
    expect(await hint('smsConsentRate')).toBe(`${n(summary.smsConsent)} members`);
    expect(await figure('emailConsentRate')).toBe(rate(summary.emailConsentRate));
    expect(await figure('offersConsentRate')).toBe(rate(summary.offersConsentRate));

    // The chart's points are the series' values, one per day.
    const series = (await club.api('GET', `/v1/reports/series?from=${from}&to=${to}&interval=day`)).body;
    const dots = (chart: string, line: string) =>
      page
        .locator(`[data-chart="${chart}"] g[data-series="${line}"] circle`)
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(series.items).toHaveLength(30);
    expect(await dots('Points', 'issued')).toEqual(series.items.map((i: any) => i.pointsIssued));
    expect(await dots('Points', 'redeemed')).toEqual(series.items.map((i: any) => i.pointsRedeemed));
    expect(await dots('Active members', 'active')).toEqual(series.items.map((i: any) => i.activeMembers));
    expect((await dots('Points', 'issued')).at(-1)).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'admin-reports.png'), fullPage: true });

    // CSV: fetched with the bearer token and saved under the server's name.
    const save = async (button: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
      const text = await readFile((await download.path())!, 'utf8');
      // The BOM tells Excel the file is UTF-8.
      expect(text.startsWith('\uFEFF')).toBe(true);
      return {
        name: download.suggestedFilename(),
        rows: text
          .slice(1)
          .trim()
          .split('\r\n')
          .map((l) => l.split(',')),
      };
    };
    const summaryCsv = await save('Download summary CSV');
    expect(summaryCsv.name).toBe(`loyalty-summary-${from}-${to}.csv`);
    const [head, values] = summaryCsv.rows as [string[], string[]];
    expect(Object.fromEntries(head.map((c, i) => [c, values[i]]))).toMatchObject({
      from,
      to,
      pointsIssued: String(summary.pointsIssued),
      outstandingValue: summary.outstandingValue,
    });
    const seriesCsv = await save('Download series CSV');
    expect(seriesCsv.rows).toHaveLength(31);
    expect(seriesCsv.rows[0]!.slice(0, 3)).toEqual(['from', 'to', 'members']);
    expect(seriesCsv.rows.at(-1)![seriesCsv.rows[0]!.indexOf('pointsIssued')]).toBe(String(series.items.at(-1).pointsIssued));

    // Twelve months: one point a month; from–to: the days typed, by day.
    await page.getByLabel('period').selectOption('12m');
    await expect.poll(() => dots('Points', 'issued').then((d) => d.length)).toBe(12);
    const weekAgo = new Date(Date.parse(to) - 6 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('from').fill(weekAgo);
    await page.getByLabel('to').fill(to);
    expect(await page.getByLabel('period').inputValue()).toBe('custom');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByTestId('reports').locator('h2').textContent()).toBe(`${weekAgo} – ${to}`);
    expect(await dots('Points', 'issued')).toHaveLength(7);
    expect(await figure('pointsIssued')).toBe(n((await club.api('GET', `/v1/reports/summary?from=${weekAgo}&to=${to}`)).body.pointsIssued));

    // Costs: the earn route's row, the dated price table, and its CSV.
    await page.getByRole('button', { name: 'Costs' }).click();
    const earn = page.locator('[data-route="POST /v1/earn"] td');
    await expect.poll(() => earn.first().textContent()).toBe('POST /v1/earn');
    const costs = (await club.api('GET', '/v1/reports/costs')).body;
    const earnRoute = costs.routes.find((r: any) => r.route === 'POST /v1/earn');
    expect((await earn.allTextContents()).slice(1, 3)).toEqual([n(earnRoute.requests), n(earnRoute.rruPerRequest)]);
    expect(await page.getByTestId('prices').textContent()).toContain(`as of ${costs.prices.asOf}`);
    expect(await figure('costPer1000Orders')).toMatch(/^\$\d/);
    // The fixed monthly floor: a row per resource as the API counts it.
    const secrets = costs.fixedMonthly.items.find((i: any) => i.resource === 'secrets');
    const cents = (x: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(x);
    expect((await page.locator('[data-resource=secrets] td').allTextContents()).slice(1)).toEqual([
      n(secrets.count),
      cents(secrets.unitPrice),
      cents(secrets.monthly),
    ]);
    const costsCsv = await save('Download costs CSV');
    expect(costsCsv.rows[0]).toEqual([
      'route',
      'requests',
      'rruPerRequest',
      'wruPerRequest',
      'wruPricedPerRequest',
      'wruCancelledPerRequest',
      'msPerRequest',
      'costPerRequest',
      'costPerMillion',
      'records',
      'costPerRecord',
      'cost',
      'dynamodb',
      'lambda',
      'apiGateway',
      'sqs',
      'scheduler',
      'eventBridge',
      'logs',
      'xray',
      'init',
      'count',
      'unitPrice',
    ]);
    // After the routes: the webhook deliveries and the window's total, the figures per order, member and delivery, then the month's fixed floor.
    const labels = costsCsv.rows.map((r) => r[0]);
    const after = labels.slice(labels.indexOf('(webhook deliveries)'));
    expect(after.slice(0, 5)).toEqual([
      '(webhook deliveries)',
      '(total)',
      '(per 1000 orders)',
      '(per member per month)',
      '(per 1000 webhook deliveries)',
    ]);
    expect(after.slice(5).every((l) => l?.startsWith('(fixed monthly) '))).toBe(true);
    expect(after.slice(-3)).toEqual(['(fixed monthly) total', '(fixed monthly) idle', '(fixed monthly) idle in free tier']);
    expect(costsCsv.rows.find((r) => r[0] === 'POST /v1/earn')?.[1]).toBe(String(earnRoute.requests));
  });
  it('Costs shows the split by service and the cost per 1,000 webhook deliveries, as the API reports them', async () => {
    process.env.STAFF_TOKENS = 'omid:viewer:viewer-secret-1';
    useWebhookSecrets();
    const { memberId } = await memberWithHistory(club);
    const costs = async () => (await club.api('GET', '/v1/reports/costs')).body;
    const start = await costs();
    // One delivery applied: its receiver request and its consumer batch are in the cost log.
    expect(
      (
        await sendGeneric(club, {
          event: 'order.paid',
          orderId: uniqueId('usd-order'),
          amount: '12.00',
          currency: 'USD',
          customer: { memberId },
        })
      ).status,
    ).toBe(202);
    await waitFor(async () => {
      const c = await costs();
      return c.webhooks.deliveries > start.webhooks.deliveries && c.webhooks.batches > start.webhooks.batches ? c : undefined;
    }, 'the delivery and its batch in the cost log');
    // Read again: the batch's cost line can land after the drain that read above began, with the
    // order's events still on the stream (published, and counted under eventBridge, moments later).
    const before = await costs();
    expect(before.webhooks.costPer1000Deliveries).toBeGreaterThan(0);

    const page = await signInAs('viewer-secret-1', 'omid · viewer');
    await page.getByRole('button', { name: 'Costs' }).click();
    await expect
      .poll(() => page.locator('[data-figure=costPer1000Deliveries] strong').textContent())
      .toBe(formatUsd(before.webhooks.costPer1000Deliveries));
    const after = await costs();
    expect(after.webhooks).toEqual(before.webhooks);
    expect(await page.locator('[data-figure=costPer1000Deliveries] small').textContent()).toBe(
      `${after.webhooks.deliveries.toLocaleString('en-US')} deliveries`,
    );

    const cells = async (service: string) => (await page.locator(`[data-service=${service}] td`).allTextContents()).slice(1);
    const dollars = (text: string) => (text === '$0' ? 0 : Number(text.replace(/[$,]/g, '')));
    for (const service of ['dynamodb', 'lambda', 'apiGateway', 'sqs', 'eventBridge', 'scheduler', 'logs', 'xray', 'init', 'total']) {
      const [cost, share, webhooks] = await cells(service);
      expect(webhooks, service).toBe(formatUsd(after.webhooks.byService[service]));
      // The page's own requests (and the reads above) add DynamoDB, Lambda and API Gateway cost as it goes:
      // what the page shows lies between the reports read before and after it.
      expect(dollars(cost!), service).toBeGreaterThanOrEqual(dollars(formatUsd(before.byService[service])));
      expect(dollars(cost!), service).toBeLessThanOrEqual(dollars(formatUsd(after.byService[service])));
      if (['sqs', 'eventBridge', 'scheduler'].includes(service)) expect(cost, service).toBe(formatUsd(after.byService[service]));
      if (service === 'total') expect(share).toBe('100.0%');
    }
    expect(dollars((await cells('sqs'))[0]!)).toBeGreaterThan(0);
    expect(dollars((await cells('apiGateway'))[2]!)).toBeGreaterThan(0);
  });
});
