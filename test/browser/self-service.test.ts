/**
 * The member's own details and messages on /club, on a phone (390 px), in Persian
 * (a Jalali birthday picker) and English; and the opt-out page a message's link
 * opens. Real Chromium against the real club and DynamoDB Local; axe-clean.
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventsAndNotifier } from '../../local/automations';
import { issueOptOutToken } from '../../shared/portal/opt-out';
import { readAccessConfig } from '../../shared/config';
import { accessibilityProblems, startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { portalLink } from '../support/pages';

let club: TestClub;
let browser: TestBrowser;
// The codes for a new email or phone land in the local outbox.
const dir = mkdtempSync(join(tmpdir(), 'self-service-outbox-'));
beforeAll(async () => {
  club = await startTestClub({ services: [localEventsAndNotifier({ dir })] });
  browser = await startBrowser();
  const current = await club.api('GET', '/v1/admin/program');
  const res = await club.api('PUT', '/v1/admin/program', { expectedVersion: current.body.version, bonuses: { profileCompletion: 30 } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
});

async function member(body: Record<string, unknown>) {
  const memberId = uniqueId('m');
  expect((await club.api('POST', '/v1/members', { memberId, ...body })).status).toBe(201);
  return memberId;
}
const phone = () => `+98912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/** The 6-digit code in the newest message to `to`, in ASCII digits. */
async function codeSentTo(to: string): Promise<string | undefined> {
  const text = await readFile(join(dir, 'outbox.jsonl'), 'utf8').catch(() => '');
  const last = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { to: string; text: string })
    .filter((l) => l.to === to)
    .at(-1)?.text;
  return /\b(\d{6})\b/.exec((last ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d))))?.[1];
}

async function fitsAndIsAccessible(page: Page, where: string) {
  const o = await page.evaluate(() => {
    const { document, innerWidth } = globalThis as any;
    return { scrollWidth: document.documentElement.scrollWidth as number, innerWidth: innerWidth as number };
  });
  expect(o.scrollWidth, where).toBeLessThanOrEqual(o.innerWidth);
  expect(await accessibilityProblems(page), where).toEqual([]);
}

describe('the profile card at 390 px', () => {
  it('fa: shows what is missing and the points, takes a Jalali birthday, and pays the bonus once complete', async () => {
    const memberId = await member({ email: `${uniqueId('e')}@example.com`, phone: phone() });
    const page = await browser.page({ width: 390, locale: 'fa-IR' });
    await page.goto((await portalLink(club, memberId, { lang: 'fa' })).url);
    const card = page.getByTestId('complete-profile');
    await expect.poll(() => card.textContent()).toContain('نام، تاریخ تولد');
    expect(await page.getByTestId('profile-bonus').textContent()).toBe('با کامل کردن آن ۳۰ امتیاز بگیرید.');
    // Jalali months by name, Persian digits.
    expect((await page.getByTestId('birth-month').locator('option').allTextContents()).slice(1, 4)).toEqual([
      'فروردین',
      'اردیبهشت',
      'خرداد',
    ]);
    expect(await page.getByTestId('birth-year').locator('option[value="1370"]').textContent()).toBe('۱۳۷۰');
    await fitsAndIsAccessible(page, 'fa before');

    await page.getByLabel('نام').fill('سارا');
    await page.getByTestId('birth-day').selectOption('12');
    await page.getByTestId('birth-month').selectOption('5');
    await page.getByTestId('birth-year').selectOption('1370');
    await page.getByRole('button', { name: 'ذخیره' }).first().click();
    await expect.poll(() => page.getByTestId('profile-result').textContent()).toBe('ذخیره شد.');
    expect(await page.getByTestId('balance').textContent()).toBe('۳۰');
    expect(await page.getByTestId('complete-profile').count()).toBe(0);
    // 12 Mordad 1370 is 3 August 1991.
    expect((await club.api('GET', `/v1/members/${memberId}`)).body).toMatchObject({ name: 'سارا', birthday: '1991-08-03' });
    // The picker reads it back as it was picked.
    expect(await page.getByTestId('birth-month').inputValue()).toBe('5');
    expect(await page.getByTestId('birth-day').inputValue()).toBe('12');
    await fitsAndIsAccessible(page, 'fa after');
  });

  it('fa: a new phone is kept only after the code sent to it, typed in Persian digits', async () => {
    const old = phone();
    const memberId = await member({ email: `${uniqueId('e')}@example.com`, phone: old, name: 'سارا' });
    const page = await browser.page({ width: 390, locale: 'fa-IR' });
    await page.goto((await portalLink(club, memberId, { lang: 'fa' })).url);
    const next = phone();
    // As typed, with spaces: kept in E.164.
    await page.getByLabel('تلفن همراه').fill(`${next.slice(0, 3)} ${next.slice(3, 6)} ${next.slice(6)}`);
    await page.getByRole('button', { name: 'ذخیره' }).first().click();
    await expect.poll(() => page.getByTestId('code-sent-to').textContent()).toContain(`+98912*****${next.slice(-2)}`);
    expect((await club.api('GET', `/v1/members/${memberId}`)).body.phone).toBe(old);
    await fitsAndIsAccessible(page, 'fa code step');

    await page.getByTestId('contact-code').fill('000000');
    await page.getByRole('button', { name: 'تأیید' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('این کد نادرست است');

    const code = await codeSentTo(next);
    expect(code).toMatch(/^\d{6}$/);
    await page.getByTestId('contact-code').fill(code!.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!));
    await page.getByRole('button', { name: 'تأیید' }).click();
    await expect.poll(() => page.getByTestId('profile-result').textContent()).toBe('نشانی تازهٔ شما ثبت شد.');
    expect((await club.api('GET', `/v1/members/${memberId}`)).body.phone).toBe(next);
    expect(await page.getByLabel('تلفن همراه').inputValue()).toBe(next);
    await fitsAndIsAccessible(page, 'fa phone kept');
  });

  it('en: a Gregorian birthday without a year, a new email awaiting its code, and the consent toggles', async () => {
    const memberId = await member({ email: `${uniqueId('e')}@example.com`, phone: phone(), name: 'Sam' });
    const page = await browser.page({ width: 390, locale: 'en-US' });
    await page.goto((await portalLink(club, memberId, { lang: 'en' })).url);
    await expect.poll(() => page.getByTestId('complete-profile').textContent()).toContain('Still missing: birthday');
    expect(await page.getByTestId('profile-bonus').textContent()).toBe('Complete it and earn 30 points.');
    await fitsAndIsAccessible(page, 'en before');

    await page.getByTestId('birth-day').selectOption('3');
    await page.getByTestId('birth-month').selectOption('8');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('30');
    expect((await club.api('GET', `/v1/members/${memberId}`)).body.birthday).toBe('--08-03');

    await page.getByTestId('consent-email').uncheck();
    await page.getByTestId('consent-offers').check();
    // A save reads the page again and draws it anew: wait for this save's notice, or typing below could be drawn over.
    await page.getByTestId('profile-result').evaluate((e) => e.remove());
    await page.getByTestId('messages').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('profile-result').textContent()).toBe('Saved.');
    await expect
      .poll(async () => (await club.api('GET', `/v1/members/${memberId}/notifications`)).body)
      .toMatchObject({
        channels: ['sms'],
        marketing: true,
      });

    const newEmail = `${uniqueId('new')}@example.com`.toLowerCase();
    await page.getByLabel('Email', { exact: true }).fill(newEmail);
    await page.getByRole('button', { name: 'Save' }).first().click();
    await expect
      .poll(() => page.getByTestId('code-sent-to').textContent())
      .toBe(`We sent a code to ${newEmail[0]}***@example.com. Enter it here to keep your new address.`);
    await fitsAndIsAccessible(page, 'en after');
  });
});

describe('the opt-out page at 390 px', () => {
  it("fa: asks in the member's language, and its button stops the channel", async () => {
    const memberId = await member({ email: `${uniqueId('e')}@example.com` });
    expect((await club.api('PUT', `/v1/members/${memberId}/notifications`, { language: 'fa' })).status).toBe(200);
    const t = issueOptOutToken(readAccessConfig().portalSecret!, { memberId, channel: 'email' });
    const page = await browser.page({ width: 390, locale: 'fa-IR' });
    await page.goto(`${club.url}/v1/unsubscribe?t=${t}`);
    expect([await page.getAttribute('html', 'lang'), await page.getAttribute('html', 'dir')]).toEqual(['fa', 'rtl']);
    expect(await page.locator('main p').first().textContent()).toBe('دیگر ایمیل باشگاه را دریافت نکنید؟');
    await fitsAndIsAccessible(page, 'opt-out ask');
    await page.getByRole('button', { name: 'بله، لغو شود' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('باشگاه دیگر برایتان ایمیل نمی‌فرستد');
    expect((await club.api('GET', `/v1/members/${memberId}/notifications`)).body.channels).toEqual(['sms']);
    await fitsAndIsAccessible(page, 'opt-out done');
  });
});

describe('collecting before launch at 390 px', () => {
  it('fa: says when points start and promises no points now, not in the history nor the invitation', async () => {
    const before = (await club.api('GET', '/v1/admin/program')).body;
    const saved = await club.api('PUT', '/v1/admin/program', {
      ...before,
      pilot: { enabled: true, tags: ['pilot'], memberIds: [], percent: 0, launchesAt: '2027-03-21' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    try {
      const memberId = await member({ email: `${uniqueId('e')}@example.com`, phone: phone() });
      const page = await browser.page({ width: 390, locale: 'fa-IR' });
      await page.goto((await portalLink(club, memberId, { lang: 'fa' })).url);
      // 21 March 2027 is 1 Farvardin 1406.
      await expect.poll(() => page.getByTestId('collecting').textContent()).toContain('۱ فروردین ۱۴۰۶');
      const text = (await page.locator('main').textContent()) ?? '';
      // Before the fix the empty history said "your first order earns points" and the invitation "gives you both points".
      expect(text).not.toContain('با اولین خرید امتیاز می‌گیرید');
      expect(text).not.toContain('به هر دوی شما امتیاز می‌دهند');
      expect(await page.getByTestId('history').textContent()).toContain('امتیازها از ۱ فروردین ۱۴۰۶ شروع می‌شوند');
      await fitsAndIsAccessible(page, 'fa collecting');
    } finally {
      const now = (await club.api('GET', '/v1/admin/program')).body;
      expect((await club.api('PUT', '/v1/admin/program', { ...now, pilot: before.pilot })).status).toBe(200);
    }
  });
});
