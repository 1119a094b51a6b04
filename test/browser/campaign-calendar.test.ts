/**
 * The Program tab's campaign calendar and pilot, on a phone (390 px), in English
 * and Persian: an admin creates a campaign from a month of the year view (it is
 * in GET /v1/admin/campaigns/calendar), opens it from the calendar and deletes
 * it; the Persian view reads Jalali months; the pilot card shows the group and
 * launches, with retroactive credit, only after the admin confirms.
 * UPDATE_SCREENSHOTS=1 writes docs/screenshots/admin-calendar(-fa).png.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { seedCatalog } from '../support/pages';

const SHOTS = process.env.UPDATE_SCREENSHOTS ? join(process.cwd(), 'docs/screenshots') : join(tmpdir(), 'loyalty-screenshots');
mkdirSync(SHOTS, { recursive: true });

let club: TestClub;
let browser: TestBrowser;
const year = new Date().getUTCFullYear();
const day = (offset: number) => new Date(Date.now() + offset * 864e5).toISOString().slice(0, 10);

beforeAll(async () => {
  club = await startTestClub();
  browser = await startBrowser();
  // A campaign running now: both languages' year views show it.
  await seedCatalog(club, {
    campaigns: [
      {
        id: 'yalda',
        name: 'شب یلدا — Yalda night',
        start: day(-1),
        end: day(2),
        target: {},
        effect: { type: 'multiplier', multiplier: '2' },
      },
    ],
    // Challenges beside the campaigns: one dated in March and April, one that repeats every month.
    challenges: [
      {
        id: 'spring-orders',
        name: { fa: 'سه سفارش بهاری', en: 'Three spring orders' },
        period: { from: `${year}-03-10`, to: `${year}-04-05` },
        goal: { kind: 'orders', target: 3 },
        reward: { points: 100 },
      },
      {
        id: 'monthly-spend',
        name: { fa: 'خرید ماهانه', en: 'Monthly spend' },
        period: { repeat: 'monthly' },
        goal: { kind: 'spend', target: 200 },
        reward: { points: 50 },
      },
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
});

const program = async () => (await club.api('GET', '/v1/admin/program')).body;
const calendarOf = async (y: number) => {
  const res = await club.api('GET', `/v1/admin/campaigns/calendar?year=${y}`);
  expect(res.status).toBe(200);
  return res.body.months as { month: string; campaigns: { id: string }[] }[];
};
const overflow = (page: Page) =>
  page.evaluate(() => {
    const { document, innerWidth } = globalThis as any;
    return { scrollWidth: document.documentElement.scrollWidth as number, innerWidth: innerWidth as number };
  });
const fits = async (page: Page, where: string) =>
  expect(await overflow(page), where).toSatisfy((o: { scrollWidth: number; innerWidth: number }) => o.scrollWidth <= o.innerWidth);
const field = (page: Page, path: string) => page.locator(`[name="${path}"]`);

async function programTab(lang: 'en' | 'fa'): Promise<Page> {
  const page = await browser.page({ width: 390, locale: lang === 'fa' ? 'fa-IR' : 'en-US' });
  await page.goto(`${club.url}/admin`);
  await page.locator('input[name=token]').fill(club.token);
  await page.locator('form.signin button[type=submit]').click();
  await expect.poll(() => page.getByTestId('who').count()).toBe(1);
  await page.locator('[data-tab=Program]').click();
  await expect.poll(() => page.locator('[data-testid=calendar] [data-month]').count()).toBe(12);
  return page;
}

describe('the campaign calendar', () => {
  it('en: an admin creates a campaign from a month, sees it in GET /v1/admin/campaigns/calendar, then deletes it — all at 390 px', async () => {
    const page = await programTab('en');
    await fits(page, 'the year view');
    const months = page.locator('[data-testid=calendar] [data-month] h3');
    expect(await months.first().textContent()).toBe('January');
    expect(await page.locator('[data-testid=calendar] [data-campaign=yalda]').count()).toBeGreaterThan(0);
    // The challenges beside them: the dated one in the months it touches, the monthly one in every month, in English.
    const challengeMonths = (id: string) =>
      page
        .locator(`[data-testid=calendar] [data-month]:has([data-challenge=${id}])`)
        .evaluateAll((ms) => ms.map((m) => m.getAttribute('data-month')));
    expect(await challengeMonths('spring-orders')).toEqual([`${year}-03-01`, `${year}-04-01`]);
    expect(await challengeMonths('monthly-spend')).toHaveLength(12);
    const march = page.locator(`[data-month="${year}-03-01"]`);
    expect(await march.locator('[data-challenge=spring-orders]').textContent()).toBe('Challenge: Three spring orders Mar 10 – Apr 5');
    expect(await march.locator('[data-challenge=monthly-spend]').textContent()).toBe('Challenge: Monthly spend every month');
    // The name in its own direction (a <bdi>), as campaigns' names.
    expect(await march.locator('[data-challenge=monthly-spend] bdi').textContent()).toBe('Monthly spend');
    await page.getByTestId('calendar').screenshot({ path: join(SHOTS, 'admin-calendar.png') });

    // "+" in March: the new campaign's days are March's first and last.
    await page.getByRole('button', { name: 'New campaign in March' }).click();
    await expect.poll(() => page.getByTestId('campaign-form').count()).toBe(1);
    const at = (await program()).campaigns.length;
    expect(await field(page, `campaigns.${at}.start`).inputValue()).toBe(`${year}-03-01`);
    expect(await field(page, `campaigns.${at}.end`).inputValue()).toBe(`${year}-03-31`);
    await field(page, `campaigns.${at}.id`).fill('nowruz');
    await field(page, `campaigns.${at}.name`).fill('Nowruz bonus');
    await field(page, `campaigns.${at}.start`).fill(`${year}-03-20`);
    await field(page, `campaigns.${at}.end`).fill(`${year}-04-02`);
    await field(page, `campaigns.${at}.target.tags`).fill('vip, nowruz');
    await field(page, `campaigns.${at}.target.joinedAfter`).fill(`${year - 1}-01-01`);
    await field(page, `campaigns.${at}.effect.type`).selectOption('spendBonus');
    await field(page, `campaigns.${at}.effect.over`).fill('50');
    await field(page, `campaigns.${at}.effect.points`).fill('30');
    await fits(page, 'the campaign form');
    await page.getByRole('button', { name: 'Review the change' }).click();
    await expect.poll(() => page.getByTestId('diff').locator('li').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('diff').textContent()).toContain(`campaigns.${at}.effect.points: (none) → 30`);
    await page.locator('[data-action=save]').click();
    await expect.poll(() => page.getByText(/^Saved: version/).count()).toBe(1);

    const saved = (await program()).campaigns.find((c: { id: string }) => c.id === 'nowruz');
    expect(saved).toEqual({
      id: 'nowruz',
      name: 'Nowruz bonus',
      start: `${year}-03-20`,
      end: `${year}-04-02`,
      target: { tags: ['vip', 'nowruz'], joinedAfter: `${year - 1}-01-01T00:00:00.000Z` },
      effect: { type: 'spendBonus', over: '50', points: 30 },
    });
    const inMonths = (await calendarOf(year)).filter((m) => m.campaigns.some((c) => c.id === 'nowruz')).map((m) => m.month);
    expect(inMonths).toEqual([`${year}-03`, `${year}-04`]);
    // The reloaded calendar lists it in March and April.
    await expect.poll(() => page.locator('[data-testid=calendar] [data-campaign=nowruz]').count()).toBe(2);

    await page.locator('[data-testid=calendar] [data-campaign=nowruz] button').first().click();
    await page.locator('[data-action=delete-campaign]').click();
    await expect.poll(() => page.getByTestId('diff').locator('li').count()).toBeGreaterThan(0);
    await page.locator('[data-action=save]').click();
    await expect.poll(() => page.getByText(/^Saved: version/).count()).toBe(1);
    expect((await program()).campaigns.map((c: { id: string }) => c.id)).toEqual(['yalda']);
    expect((await calendarOf(year)).flatMap((m) => m.campaigns.map((c) => c.id)).includes('nowruz')).toBe(false);
  });

  it('fa: the year view reads Jalali months and the campaign form fits 390 px', async () => {
    const page = await programTab('fa');
    await fits(page, 'the Persian year view');
    // Twelve Jalali months, Farvardin first (not Gregorian names in Persian).
    expect(await page.locator('[data-testid=calendar] [data-month] h3').first().textContent()).toBe('فروردین');
    expect(await page.locator('[data-testid=calendar] [data-month] h3').nth(11).textContent()).toBe('اسفند');
    expect(await page.locator('[data-testid=calendar] [data-campaign=yalda]').count()).toBeGreaterThan(0);
    // Challenges in Persian: the monthly one in Farvardin (and every month) with its Persian name.
    const farvardin = page.locator('[data-testid=calendar] [data-month]').first();
    expect(await farvardin.locator('[data-challenge=monthly-spend]').textContent()).toBe('چالش: خرید ماهانه هر ماه');
    expect(await page.locator('[data-testid=calendar] [data-challenge=monthly-spend]').count()).toBe(12);
    await page.getByTestId('calendar').screenshot({ path: join(SHOTS, 'admin-calendar-fa.png') });
    await page.locator('[data-action=new-campaign]').click();
    await expect.poll(() => page.getByTestId('campaign-form').count()).toBe(1);
    await fits(page, 'the Persian campaign form');
  });
});

describe('the pilot', () => {
  it('shows the group and what launching would give, asks before launching, then launches with the held orders credited', async () => {
    const current = await program();
    const put = await club.api('PUT', '/v1/admin/program', {
      ...current,
      campaigns: [],
      pilot: { enabled: true, tags: ['pilot'], memberIds: [], percent: 0 },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // A member outside the pilot: the order is recorded, earns nothing, and is held for a retroactive launch.
    const memberId = uniqueId('m');
    expect((await club.api('POST', '/v1/members', { memberId })).status).toBe(201);
    const held = await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '40.00', currency: 'USD' });
    expect(held.body.points).toBe(0);

    for (const lang of ['fa', 'en'] as const) {
      const page = await programTab(lang);
      await expect.poll(() => page.getByTestId('pilot-figures').textContent()).not.toBe('');
      await fits(page, `the pilot card (${lang})`);
      if (lang === 'fa') continue;
      expect(await page.getByTestId('pilot').textContent()).toContain('Pilot group: tags pilot; members —; and 0% of members.');
      // 40.00 USD at 1 point a dollar: 40 if launched, 0 earned under the pilot.
      expect(await page.getByTestId('pilot-figures').textContent()).toBe(
        'Last 30 days: 1 orders earned 0 points; launched, the program would have given 40.',
      );
      await page.locator('input[name=retroactive]').check();
      await page.locator('[data-action=launch]').click();
      await expect.poll(() => page.getByTestId('launch-confirm').count()).toBe(1);
      await fits(page, 'the launch confirmation');
      // Asked, not sent: the pilot still runs.
      expect((await program()).pilot.enabled).toBe(true);
      await page.locator('[data-action=confirm-launch]').click();
      await expect.poll(() => page.getByTestId('launched').count()).toBe(1);
      expect(await page.getByTestId('launched').textContent()).toBe(
        `Launched: version ${put.body.version + 1} runs for everyone. Credited 1 held orders: 40 points and 0 bonus points.`,
      );
      expect(await page.getByTestId('pilot').textContent()).toContain('No pilot: every member earns.');
    }
    expect((await program()).pilot.enabled).toBe(false);
    expect((await club.api('GET', `/v1/members/${memberId}`)).body.balance).toBe(40);
  });
});
