/**
 * The member page's challenges card, in Chromium at a phone's width (390 px), in
 * Persian and English, against the real club: progress bars, what each pays and
 * the time left, with Persian digits and the Jalali calendar in fa; the card is
 * a chunk fetched only for a member who has a challenge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { memberWithHistory, portalLink, seedCatalog } from '../support/pages';

let club: TestClub;
let browser: TestBrowser;
// The one-off challenge ends with 20 March 2030 in Tehran: its period ends at 00:00 on the 21st, 20:30Z on the 20th.
const LAST_DAY = '2030-03-20T12:00:00Z';
beforeAll(async () => {
  club = await startTestClub();
  browser = await startBrowser();
  await seedCatalog(club, {
    timeZone: 'Asia/Tehran',
    challenges: [
      {
        id: 'three-orders',
        name: { fa: 'سه خرید در ماه', en: 'Three orders a month' },
        period: { repeat: 'monthly' },
        goal: { kind: 'orders', target: 3 },
        reward: { points: 300 },
      },
      {
        id: 'big-spender',
        name: { fa: 'خرید بزرگ', en: 'Big spender' },
        period: { from: '2026-01-01', to: '2030-03-20' },
        goal: { kind: 'spend', target: 500 },
        reward: { points: 1000 },
        audience: { tags: ['vip'] },
      },
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
});

const jalali = (iso: string) =>
  new Intl.DateTimeFormat('fa-IR-u-ca-persian', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Tehran' }).format(
    new Date(iso),
  );

describe('the challenges card', () => {
  it('in Persian: progress in Persian digits, the bar, the reward and the days left to a Jalali date', async () => {
    // Two orders this month (120.50 and 200): 2 of 3 orders, and 320 of 500 spent.
    const { memberId } = await memberWithHistory(club, { name: 'سارا', tags: ['vip'] });
    const link = await portalLink(club, memberId, { lang: 'fa' });
    const page = await browser.page({ locale: 'fa-IR', width: 390 });
    const chunks: string[] = [];
    page.on('request', (r) => {
      if (/\/club\/challenges-[A-Z0-9]+\.js$/.test(r.url())) chunks.push(r.url());
    });
    await page.goto(link.url);
    const card = page.getByTestId('challenges');
    await expect.poll(() => card.count()).toBe(1);
    expect(chunks).toHaveLength(1);
    expect(await card.locator('h2').textContent()).toBe('چالش‌ها');
    const orders = card.locator('[data-challenge=three-orders]');
    expect(await orders.textContent()).toContain('سه خرید در ماه');
    expect(await orders.getByTestId('challenge-progress').textContent()).toBe('۲ از ۳ سفارش');
    expect(await orders.textContent()).toContain('جایزه: ۳۰۰ امتیاز');
    // 2 of 3: 67 percent.
    expect(await orders.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('67');
    expect(await orders.getByTestId('challenge-left').textContent()).toMatch(/^[۰-۹]+ روز مانده \(تا .+\)$|^آخرین روز: /);
    const spend = card.locator('[data-challenge=big-spender]');
    expect(await spend.getByTestId('challenge-left').textContent()).toContain(`روز مانده (تا ${jalali(LAST_DAY)})`);
    expect(await spend.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('64');
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it("in Persian: the history words a challenge's reward and its take-back with the challenge's name, not its code", async () => {
    const { memberId } = await memberWithHistory(club);
    const third = uniqueId('o');
    expect((await club.api('POST', '/v1/earn', { memberId, orderId: third, amount: '10', currency: 'USD' })).body.balance).toBe(645);
    // The third order refunded in full: 2 of 3 again, the reward goes back.
    const back = await club.api('POST', '/v1/refunds', {
      memberId,
      orderId: third,
      refundId: uniqueId('r'),
      amount: '10',
      currency: 'USD',
    });
    expect(back.body.balance).toBe(335);
    const link = await portalLink(club, memberId, { lang: 'fa' });
    const page = await browser.page({ locale: 'fa-IR', width: 390 });
    await page.goto(link.url);
    const lines = page.locator('[data-testid=history] li .what');
    await expect.poll(() => lines.count()).toBeGreaterThan(4);
    const texts = await lines.allTextContents();
    expect(texts).toContain('هدیه · چالش «سه خرید در ماه» انجام شد');
    expect(texts).toContain('مرجوعی · جایزهٔ چالش «سه خرید در ماه» پس گرفته شد (سفارش مرجوع شد)');
    expect(texts.join(' ')).not.toContain('three-orders');
    // The name keeps its own direction inside the line.
    expect(await page.locator('[data-testid=history] li .what bdi', { hasText: 'سه خرید در ماه' }).count()).toBe(2);
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it('in English: a met goal says so; a member with no challenge gets no card and no chunk', async () => {
    const { memberId } = await memberWithHistory(club);
    // The third order this month meets the goal: its 300 points come with it.
    expect((await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '10', currency: 'USD' })).body.balance).toBe(
      335 + 10 + 300,
    );
    const link = await portalLink(club, memberId, { lang: 'en' });
    const page = await browser.page({ locale: 'en-US', width: 390 });
    await page.goto(link.url);
    const orders = page.locator('[data-challenge=three-orders]');
    await expect.poll(() => orders.count()).toBe(1);
    expect(await orders.getByTestId('challenge-progress').textContent()).toBe('3 of 3 orders');
    expect(await orders.textContent()).toContain('Done! The reward is in your points.');
    expect(await orders.getByTestId('challenge-left').count()).toBe(0);
    // The reward's line in the history names the challenge.
    expect(await page.locator('[data-testid=history] li .what').allTextContents()).toContain(
      'Bonus · Challenge completed: Three orders a month',
    );
    // Not a vip: the spend challenge is not theirs.
    expect(await page.locator('[data-challenge=big-spender]').count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Nobody plays once the program has no challenges: no card, and the chunk is never fetched.
    const current = await club.api('GET', '/v1/admin/program');
    expect((await club.api('PUT', '/v1/admin/program', { ...current.body, challenges: [] })).status).toBe(200);
    const bare = await browser.page({ locale: 'en-US', width: 390 });
    const chunks: string[] = [];
    bare.on('request', (r) => {
      if (r.url().includes('/club/challenges-')) chunks.push(r.url());
    });
    await bare.goto(link.url);
    await expect.poll(() => bare.getByTestId('balance').textContent()).toBe('645');
    expect(await bare.getByTestId('challenges').count()).toBe(0);
    expect(chunks).toEqual([]);
  });

  it('a catalog prize: named before (in fa), its code with the member’s codes once met (in en)', async () => {
    const current = await club.api('GET', '/v1/admin/program');
    const prize = {
      id: 'first-order-gift',
      name: { fa: 'یک خرید، یک هدیه', en: 'One order, one gift' },
      period: { repeat: 'monthly' },
      goal: { kind: 'orders', target: 1 },
      reward: { rewardId: 'free-shipping' },
    };
    expect((await club.api('PUT', '/v1/admin/program', { ...current.body, challenges: [prize] })).status).toBe(200);
    const member = uniqueId('m');
    expect((await club.api('POST', '/v1/members', { memberId: member, name: 'سارا' })).status).toBe(201);
    const fa = await browser.page({ locale: 'fa-IR', width: 390 });
    await fa.goto((await portalLink(club, member, { lang: 'fa' })).url);
    const card = fa.locator('[data-challenge=first-order-gift]');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.getByTestId('challenge-reward').textContent()).toBe('جایزه: Free shipping');
    expect(await accessibilityProblems(fa)).toEqual([]);
    expect(await fa.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The order meets the goal: no points for the prize, its code is the member's.
    const earned = await club.api('POST', '/v1/earn', { memberId: member, orderId: uniqueId('o'), amount: '10', currency: 'USD' });
    expect(earned.body.balance).toBe(10);
    const en = await browser.page({ locale: 'en-US', width: 390 });
    await en.goto((await portalLink(club, member, { lang: 'en' })).url);
    const done = en.locator('[data-challenge=first-order-gift]');
    await expect.poll(() => done.count()).toBe(1);
    expect(await done.getByTestId('challenge-reward').textContent()).toBe('Done! Your reward code is with your codes.');
    const codes = en.getByTestId('my-codes');
    await expect.poll(() => codes.count()).toBe(1);
    expect(await codes.textContent()).toContain('Free shipping');
    expect(await codes.textContent()).toMatch(/RW-[0-9A-Z]{5}-/);
    expect(await accessibilityProblems(en)).toEqual([]);
    expect(await en.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it("the staff console's ledger names the challenge of a reward, in fa and en, not its id", async () => {
    const current = await club.api('GET', '/v1/admin/program');
    const oneOrder = {
      id: 'one-order-x9',
      name: { fa: 'یک سفارش', en: 'One order' },
      period: { repeat: 'monthly' },
      goal: { kind: 'orders', target: 1 },
      reward: { points: 40 },
    };
    expect((await club.api('PUT', '/v1/admin/program', { ...current.body, challenges: [oneOrder] })).status).toBe(200);
    const memberId = uniqueId('m');
    expect((await club.api('POST', '/v1/members', { memberId })).status).toBe(201);
    const earned = await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '10', currency: 'USD' });
    expect(earned.body.balance).toBe(50);
    for (const [lang, words] of [
      ['en', 'Challenge completed: One order'],
      ['fa', 'چالش «یک سفارش» انجام شد'],
    ] as const) {
      const page = await browser.page({ width: 1100, locale: lang === 'fa' ? 'fa-IR' : 'en-US' });
      await page.goto(`${club.url}/admin`);
      await page.locator('input[name=token]').fill(club.token);
      await page.locator('form.signin button[type=submit]').click();
      await expect.poll(() => page.getByTestId('who').count()).toBe(1);
      await page.locator('input[name=q]').fill(memberId);
      await page.locator('input[name=q]').press('Enter');
      // Newest first: the reward's line, then the order's.
      await expect.poll(() => page.getByTestId('ledger').locator('tbody tr').count()).toBe(2);
      const reason = await page.getByTestId('ledger').locator('tbody tr').first().locator('td').nth(4).textContent();
      expect(reason).toContain(words);
      expect(reason).not.toContain('one-order-x9');
    }
  });
});
