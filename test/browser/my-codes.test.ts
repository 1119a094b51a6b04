/**
 * The member page's "my codes" and the question before points are spent, in
 * Chromium at a phone's width (390 px), in Persian and English, against the real club.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';
import { memberWithHistory, portalLink, seedCatalog } from '../support/pages';

let club: TestClub;
let browser: TestBrowser;
beforeAll(async () => {
  club = await startTestClub();
  browser = await startBrowser();
  await seedCatalog(club, { timeZone: 'Asia/Tehran' });
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
});

/** Every redeem request the page sends. */
function redeemRequests(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/v1/me/redeem')) sent.push(r.method());
  });
  return sent;
}

describe('my codes and the spend confirmation', () => {
  it('in Persian: cancel spends nothing; yes spends once; the code is listed with its Jalali end date, unused, copyable', async () => {
    const { memberId } = await memberWithHistory(club, { name: 'سارا' });
    const link = await portalLink(club, memberId, { lang: 'fa' });
    const page = await browser.page({ locale: 'fa-IR', width: 390 });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: club.url });
    const sent = redeemRequests(page);
    await page.goto(link.url);
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('۳۳۵');
    expect(await page.getByTestId('my-codes').textContent()).toContain('هنوز کدی ندارید');

    await page.getByRole('button', { name: 'دریافت — Free shipping' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('۱۰۰ امتیاز برای Free shipping خرج شود؟');
    // The dialog has the focus, and Escape says no.
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.closest('dialog') !== null)).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.keyboard.press('Escape');
    expect(await dialog.count()).toBe(0);
    await page.getByRole('button', { name: 'دریافت — Free shipping' }).click();
    await page.getByRole('button', { name: 'انصراف' }).click();
    expect(sent).toEqual([]);
    expect(await page.getByTestId('balance').textContent()).toBe('۳۳۵');

    await page.getByRole('button', { name: 'دریافت — Free shipping' }).click();
    await page.getByRole('button', { name: 'بله، خرج شود' }).click();
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('۲۳۵');
    expect(sent).toEqual(['POST']);

    const item = page.locator('[data-testid=my-codes] li');
    await expect.poll(() => item.count()).toBe(1);
    const code = (await item.locator('code').textContent())!;
    expect(code).toMatch(/^RW-/);
    expect(await item.getByTestId('code-status').textContent()).toBe('استفاده‌نشده');
    expect(await item.textContent()).toContain('ارسال رایگان'); // what it gives, in Persian
    // 30 days from today, in the Persian calendar and digits.
    const until = new Intl.DateTimeFormat('fa-IR-u-ca-persian', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'Asia/Tehran',
    }).format(new Date(Date.now() + 30 * 86_400_000));
    expect(await item.locator('.when').textContent()).toBe(`تا ${until}`);

    await item.getByRole('button', { name: `کپی کد ${code}` }).click();
    await expect.poll(() => item.getByRole('button', { name: `کپی کد ${code}` }).textContent()).toBe('کپی شد');
    expect(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText())).toBe(code);
    expect(await accessibilityProblems(page)).toEqual([]);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it('in English: what each code gives and its state; a used code has no copy button', async () => {
    const { memberId } = await memberWithHistory(club);
    const link = await portalLink(club, memberId, { lang: 'en' });
    const page = await browser.page({ locale: 'en-US', width: 390 });
    const sent = redeemRequests(page);
    await page.goto(link.url);
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('335');

    await page.getByRole('button', { name: 'Redeem — 10 off' }).click();
    expect(await page.getByRole('dialog').textContent()).toContain('Spend 250 points for 10 off?');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(sent).toEqual([]);
    await page.getByRole('button', { name: 'Redeem — 10 off' }).click();
    await page.getByRole('button', { name: 'Yes, spend them' }).click();
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('85');

    const item = page.locator('[data-testid=my-codes] li');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.textContent()).toContain('$10.00 off');
    expect(await item.getByTestId('code-status').textContent()).toBe('Unused');
    const code = (await item.locator('code').textContent())!;

    expect((await club.api('POST', `/v1/rewards/codes/${code}/use`, { orderId: `o-${memberId}` })).status).toBe(200);
    await page.reload();
    await expect.poll(() => item.getByTestId('code-status').textContent()).toBe('Used');
    expect(await item.getByRole('button').count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});
