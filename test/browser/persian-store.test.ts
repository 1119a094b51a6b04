/**
 * A Persian store (rial, Tehran, Persian program texts) in a real browser: the
 * member page in Persian and English and the staff console in both languages —
 * every word from the word lists, names isolated for bidi, amounts in Toman
 * with the unit, and axe-core finding nothing serious or critical.
 * UPDATE_SCREENSHOTS=1 writes docs/screenshots/club-fa.png, club-en.png and admin-fa.png.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { portalLink } from '../support/pages';

const SHOTS = process.env.UPDATE_SCREENSHOTS ? join(process.cwd(), 'docs/screenshots') : join(tmpdir(), 'loyalty-screenshots');
mkdirSync(SHOTS, { recursive: true });

let club: TestClub;
let browser: TestBrowser;
let member: { memberId: string; friendId: string; name: string };

beforeAll(async () => {
  club = await startTestClub({ currency: 'IRR' });
  browser = await startBrowser();
  const current = await club.api('GET', '/v1/admin/program');
  const saved = await club.api('PUT', '/v1/admin/program', {
    ...current.body,
    timeZone: 'Asia/Tehran',
    // One point for every 10,000 rial (1,000 Toman); orders under 500,000 rial (50,000 Toman) earn nothing.
    earning: { ...current.body.earning, pointsPerUnit: '0.0001', minimumOrder: '500000', categoryMultipliers: { 'دانه قهوه': '2' } },
    tiers: {
      basis: 'points',
      windowMonths: 12,
      graceDays: 0,
      levels: [
        { id: 'member', name: 'برنزی', threshold: 0 },
        { id: 'silver', name: 'نقره‌ای', threshold: 1000, multiplier: '1.25', perks: ['ارسال رایگان'] },
      ],
    },
    bonuses: { signUp: 20, firstPurchase: 30, birthday: 0, profileCompletion: 0, referral: { referrer: 100, referred: 50 } },
    campaigns: [
      {
        id: 'yalda',
        name: 'یلدا',
        start: '2026-12-19',
        end: '2026-12-21',
        target: {},
        effect: { type: 'spendBonus', points: 200, over: '5000000' },
      },
    ],
    rewards: [
      { rewardId: 'free-shipping', name: 'ارسال رایگان', kind: 'free-shipping', pointsPrice: 100, validDays: 30 },
      { rewardId: 'fifty-off', name: 'تخفیف پنجاه هزار تومانی', kind: 'fixed-discount', amount: '500000', pointsPrice: 250, validDays: 30 },
      { rewardId: 'grinder', name: 'آسیاب قهوه', kind: 'free-product', productId: 'grinder-1', pointsPrice: 5000, validDays: 30 },
    ],
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);

  // A friend with a Latin id refers Sara; her first order pays both; a small order earns nothing; staff add 15.
  const friendId = uniqueId('ali-k');
  expect((await club.api('POST', '/v1/members', { memberId: friendId })).status).toBe(201);
  const memberId = uniqueId('m');
  const name = 'سارا رضایی';
  expect((await club.api('POST', '/v1/members', { memberId, name, referredBy: friendId, phone: '+989121000037' })).status).toBe(201);
  for (const amount of ['2000000', '100000']) {
    const res = await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount, currency: 'IRR' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  const adj = await club.api('POST', `/v1/members/${memberId}/adjustments`, { points: 15, reason: 'بابت تأخیر ارسال' });
  expect(adj.status, JSON.stringify(adj.body)).toBe(201);
  member = { memberId, friendId, name };
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
});

const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

/** Every text node on the page, less the given names and codes. */
async function latinLeft(page: Page, allowed: readonly string[]): Promise<string[]> {
  const nodes = await page.evaluate(() => {
    // The browser's globals: the root tsconfig is Node's.
    const { document, NodeFilter } = globalThis as any;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const out: string[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(String(n.textContent ?? ''));
    return out;
  });
  return nodes.map((s) => allowed.reduce((rest, word) => rest.split(word).join(''), s)).filter((s) => /[A-Za-z]/.test(s));
}

describe("a Persian store's member page", () => {
  it('in Persian: a loading state, one h1, every word Persian, Toman with the unit, names isolated, labelled buttons, an announced result, axe clean', async () => {
    const link = await portalLink(club, member.memberId, { lang: 'fa' });
    const page = await browser.page({ locale: 'fa-IR' });
    // Hold the member's read: the page says it is loading instead of staying blank.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/v1/me', async (route) => (await held, route.continue()));
    await page.goto(link.url);
    await expect.poll(() => page.getByTestId('loading').textContent()).toBe('در حال بارگذاری باشگاه شما…');
    expect(await page.locator('main').getAttribute('aria-busy')).toBe('true');
    release();

    // 20 sign-up + 200 (2,000,000 rial at a point per 10,000) + 30 first purchase + 50 referred + 0 + 15.
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('۳۱۵');
    expect(await page.locator('main').getAttribute('aria-busy')).toBeNull();
    expect(await page.locator('h1').allTextContents()).toEqual(['سلام سارا رضایی']);
    expect(await page.getByTestId('tier').textContent()).toBe('برنزی');
    expect((await texts(page, '[data-testid=history] li .what')).sort()).toEqual(
      [
        'اصلاح · بابت تأخیر ارسال',
        'خرید · کمتر از حداقل خرید',
        'هدیه · هدیهٔ عضویت با کد دعوت دوست',
        'هدیه · هدیهٔ اولین خرید',
        'خرید',
        'هدیه · هدیهٔ عضویت',
      ].sort(),
    );
    const rules = await page.getByTestId('how-to-earn').textContent();
    expect(rules).toContain('برای هر ۱٬۰۰۰ تومان خرید، ۱ امتیاز می‌گیرید.');
    expect(rules).toContain('خریدهای کمتر از ۵۰٬۰۰۰ تومان امتیاز ندارند.');
    expect(rules).toContain('خرید از دستهٔ «دانه قهوه» ۲ برابر امتیاز دارد.');
    expect(rules).toContain('یلدا: ۲۰۰ امتیاز اضافه برای خرید بالای ۵۰۰٬۰۰۰ تومان، از ۲۸ آذر ۱۴۰۵ تا ۳۰ آذر ۱۴۰۵.');
    expect(rules).toContain('سطح نقره‌ای: از ۱٬۰۰۰ امتیاز و ۱٫۲۵ برابر امتیاز (ارسال رایگان).');
    // Program texts and names sit in <bdi>.
    expect(await texts(page, '[data-testid=how-to-earn] bdi')).toEqual(
      expect.arrayContaining(['دانه قهوه', 'یلدا', 'نقره‌ای', 'ارسال رایگان']),
    );
    expect(await texts(page, 'h1 bdi')).toEqual(['سارا رضایی']);
    expect(await texts(page, '[data-testid=rewards] bdi.name')).toEqual(['ارسال رایگان', 'تخفیف پنجاه هزار تومانی', 'آسیاب قهوه']);
    // The redeem button is named with its reward.
    expect(await page.getByRole('button', { name: 'دریافت — ارسال رایگان', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'دریافت', exact: true }).count()).toBe(0);

    const body = await page.textContent('body');
    expect(body).not.toContain(member.friendId);
    const referral = (await page.getByTestId('referral-code').textContent())!;
    expect(await latinLeft(page, [referral, 'English'])).toEqual([]);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'club-fa.png'), fullPage: true });

    // The result is announced from the live region, in Persian, with the code isolated.
    await page.getByRole('button', { name: 'دریافت — ارسال رایگان' }).click();
    await page.getByRole('button', { name: 'بله، خرج شود' }).click();
    const result = page.getByRole('status').getByTestId('redeem-result');
    await expect.poll(() => result.textContent()).toMatch(/^انجام شد: ارسال رایگان\. کد شما: RW-[A-Z0-9-]+$/);
    expect(await page.getByTestId('live').getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('۲۱۵');
    const code = (await result.locator('bdi').allTextContents())[1]!;
    expect(code).toMatch(/^RW-/);
    expect(await latinLeft(page, [referral, code, 'English'])).toEqual([]);
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('in English: the Persian names kept whole in <bdi>, Toman with the unit, the same reasons in English, axe clean', async () => {
    const link = await portalLink(club, member.memberId, { lang: 'en' });
    const page = await browser.page({ locale: 'en-US' });
    await page.goto(link.url);
    await expect.poll(() => page.getByTestId('balance').textContent()).toMatch(/^\d+$/);
    expect(await page.locator('h1').allTextContents()).toEqual(['Hello, سارا رضایی']);
    expect(await texts(page, 'h1 bdi')).toEqual(['سارا رضایی']);
    expect(await page.locator('[data-testid=tier] bdi').textContent()).toBe('برنزی');
    const history = await texts(page, '[data-testid=history] li .what');
    expect(history).toEqual(
      expect.arrayContaining([
        'Bonus · Sign-up bonus',
        'Bonus · First purchase bonus',
        "Bonus · Bonus for joining with a friend's code",
        'Order · below the minimum order',
        'Correction · بابت تأخیر ارسال',
      ]),
    );
    expect(await texts(page, '[data-testid=history] .what bdi')).toContain('بابت تأخیر ارسال');
    const rules = await page.getByTestId('how-to-earn').textContent();
    expect(rules).toContain('You earn 1 point for every 1,000 Toman you spend.');
    expect(rules).toContain('یلدا: 200 extra points on orders over 500,000 Toman, December 19, 2026 to December 21, 2026.');
    expect(await page.getByRole('button', { name: 'Redeem — ارسال رایگان' }).count()).toBe(1);
    expect(await page.textContent('body')).not.toContain(member.friendId);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'club-en.png'), fullPage: true });
  });
});

/** Persian digits for an ASCII number, by hand (not through Intl). */
const faDigits = (s: string) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);

describe("a Persian store's staff console", () => {
  it('switches to Persian and remembers it: right to left, Jalali dates, Tehran times, tier names as the program names them, axe clean on every tab in both languages', async () => {
    const page = await browser.page({ locale: 'en-US', width: 1100 });
    await page.goto(`${club.url}/admin`);
    await expect.poll(() => page.getByTestId('lang-switch').textContent()).toBe('فارسی');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByTestId('lang-switch').click();
    expect([await page.getAttribute('html', 'lang'), await page.getAttribute('html', 'dir')]).toEqual(['fa', 'rtl']);
    // Remembered across a reload.
    await page.reload();
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl');
    await page.getByLabel('توکن').fill(club.token);
    await page.getByRole('button', { name: 'ورود' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('پیشخوان باشگاه مشتریان · اعضا');

    await page.getByLabel('جستجو').fill('سارا رضا');
    await page.getByRole('button', { name: 'جستجو', exact: true }).click();
    await expect.poll(() => page.getByTestId('member-balance').textContent()).toMatch(/^[۰-۹]+$/);
    const profile = await page.getByTestId('profile').textContent();
    expect(profile).toContain('سطحبرنزی');
    expect(profile).not.toContain('member');
    const adjusted = (await club.api('GET', `/v1/members/${member.memberId}/ledger?limit=50`)).body.items.find(
      (e: any) => e.type === 'adjust',
    );
    // Tehran is UTC+3:30 all year: the time of day by hand.
    const utc = new Date(adjusted.at);
    const minutes = (utc.getUTCHours() * 60 + utc.getUTCMinutes() + 210) % 1440;
    const tehran = faDigits(`${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
    const row = page.locator('[data-testid=ledger] tbody tr').filter({ hasText: 'بابت تأخیر ارسال' });
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toMatch(new RegExp(`^[۰-۹]+ [^ ]+ ۱۴۰[۵-۶]، ${tehran}$`));
    expect(cells.slice(1, 5)).toEqual(['اصلاح', '+۱۵', '۳۱۵', 'بابت تأخیر ارسال']);
    const reasons = await texts(page, '[data-testid=ledger] tbody td:nth-child(5)');
    expect(reasons).toEqual(expect.arrayContaining(['هدیهٔ عضویت با کد دعوت دوست', 'کمتر از حداقل خرید', 'هدیهٔ اولین خرید']));
    expect(await page.locator('[data-testid=ledger] thead th').first().textContent()).toBe('زمان (Asia/Tehran)');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'admin-fa.png'), fullPage: true });

    for (const [tab, lang] of [
      ['وب‌هوک‌ها', 'fa'],
      ['برنامه', 'fa'],
      ['گزارش‌ها', 'fa'],
      ['هزینه‌ها', 'fa'],
      ['Members', 'en'],
      ['Deliveries', 'en'],
      ['Program', 'en'],
      ['Reports', 'en'],
      ['Costs', 'en'],
    ] as const) {
      if (lang === 'en' && (await page.getAttribute('html', 'lang')) === 'fa') await page.getByTestId('lang-switch').click();
      await page.getByRole('button', { name: tab, exact: true }).click();
      await expect.poll(() => page.locator('main [role=status]').count(), { message: tab }).toBe(0);
      await expect.poll(() => page.locator('main section, main form').count(), { message: tab }).toBeGreaterThan(0);
      if (tab === 'برنامه') expect(await page.getByTestId('program-tiers').textContent()).toBe('سطح‌ها: برنزی ≥ ۰، نقره‌ای ≥ ۱٬۰۰۰');
      if (tab === 'Program')
        expect(await page.getByTestId('program').textContent()).toContain(
          '1 point(s) per 1,000 Toman, rounding floor; minimum order 50,000 Toman',
        );
      expect(await accessibilityProblems(page), tab).toEqual([]);
    }
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
  });
});
