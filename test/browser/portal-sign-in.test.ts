/**
 * The member page opened without a link, in Chromium at 390 px: the member signs
 * in with the code the club sent (read from the local outbox), in Persian and in
 * English, and signs out again.
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventsAndNotifier } from '../../local/automations';
import { accessibilityProblems, startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';

let club: TestClub;
let browser: TestBrowser;
const dir = mkdtempSync(join(tmpdir(), 'sign-in-browser-'));

beforeAll(async () => {
  club = await startTestClub({ services: [localEventsAndNotifier({ dir })] });
  browser = await startBrowser();
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
});

/** The newest code sent to `to`, once it is in the outbox, in ASCII digits. */
async function codeSentTo(to: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(async () => {
      const lines = (await readFile(join(dir, 'outbox.jsonl'), 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { to: string; text: string })
        .filter((l) => l.to === to);
      const ascii = (lines.at(-1)?.text ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
      code = /\b(\d{6})\b/.exec(ascii)?.[1];
      return code;
    })
    .toMatch(/^\d{6}$/);
  return code!;
}

async function enrol(fields: Record<string, string>, points: number): Promise<string> {
  const res = await club.api('POST', '/v1/members', { name: 'Sara', ...fields });
  expect(res.status).toBe(201);
  const adjusted = await club.api('POST', `/v1/members/${res.body.memberId}/adjustments`, {
    points,
    reason: 'welcome gift',
    idempotencyKey: uniqueId('adj'),
  });
  expect(adjusted.status).toBe(201);
  return res.body.memberId;
}

// The browser's globals: the root tsconfig is Node's.
const fitsWidth = (page: Page) =>
  page.evaluate(() => {
    const { document, innerWidth } = globalThis as any;
    return (document.documentElement.scrollWidth as number) <= (innerWidth as number);
  });
const storedToken = (page: Page) =>
  page.evaluate(() => {
    const { sessionStorage, localStorage } = globalThis as any;
    return [sessionStorage.getItem('loyalty.portalToken') as string | null, localStorage.length as number] as const;
  });

describe('signing in on the member page', () => {
  it('in Persian: right to left, a phone in Persian digits, the code in Persian digits, then sign out', async () => {
    const phone = `+98912${String(Date.now()).slice(-7)}`;
    const memberId = await enrol({ phone }, 42);
    expect((await club.api('PUT', `/v1/members/${memberId}/notifications`, { language: 'fa' })).status).toBe(200);
    const page = await browser.page({ locale: 'fa-IR', width: 390 });
    await page.goto(`${club.url}/club`);
    await expect.poll(() => page.getByTestId('sign-in').isVisible()).toBe(true);
    expect([await page.getAttribute('html', 'lang'), await page.getAttribute('html', 'dir')]).toEqual(['fa', 'rtl']);
    expect(await page.getByTestId('sign-in').textContent()).toContain('ورود به باشگاه');
    expect(await fitsWidth(page)).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);

    const persian = (s: string) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    await page.getByTestId('sign-in-address').fill(persian(`00${phone.slice(1)}`));
    await page.getByRole('button', { name: 'ارسال کد' }).click();
    await expect.poll(() => page.getByTestId('sign-in-sent').isVisible()).toBe(true);
    const code = await codeSentTo(phone);

    await page.getByTestId('sign-in-code').fill(persian(code));
    await page.getByRole('button', { name: 'ورود', exact: true }).click();
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('۴۲');
    expect(await fitsWidth(page)).toBe(true);
    // The session lives in this tab only.
    expect((await storedToken(page))[0]).toMatch(/\./);
    expect((await storedToken(page))[1]).toBe(0);

    await page.getByTestId('sign-out').click();
    await expect.poll(() => page.getByTestId('sign-in').isVisible()).toBe(true);
    expect((await storedToken(page))[0]).toBeNull();
    await page.reload();
    await expect.poll(() => page.getByTestId('sign-in').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=balance]').count()).toBe(0);
  });

  it('in English: an email, a wrong code is refused, the right one signs in', async () => {
    const email = `${uniqueId('web')}@example.com`.toLowerCase();
    await enrol({ email }, 7);
    const page = await browser.page({ locale: 'en-US', width: 390 });
    await page.goto(`${club.url}/club?lang=en`);
    await page.getByTestId('sign-in-address').fill('not a phone');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect.poll(() => page.getByTestId('sign-in-problem').textContent()).toBe('That is not a phone number or email we can read.');

    await page.getByTestId('sign-in-address').fill(email);
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect.poll(() => page.getByTestId('sign-in-sent').isVisible()).toBe(true);
    const code = await codeSentTo(email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await page.getByTestId('sign-in-code').fill(wrong);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByTestId('sign-in-problem').textContent()).toContain('That code is wrong or has expired');

    await page.getByTestId('sign-in-code').fill(code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByTestId('balance').textContent()).toBe('7');
    expect(await fitsWidth(page)).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});

describe('joining on the member page (the program enrols customers itself)', () => {
  afterAll(async () => {
    const current = await club.api('GET', '/v1/admin/program');
    await club.api('PUT', '/v1/admin/program', { expectedVersion: current.body.version, enrolment: { selfService: false } });
  });

  it("in Persian at 390 px: a friend's ?ref= link prefills the referral code, and joining sends it as referredBy", async () => {
    const current = await club.api('GET', '/v1/admin/program');
    const put = await club.api('PUT', '/v1/admin/program', { expectedVersion: current.body.version, enrolment: { selfService: true } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const referrer = await enrol({ email: `${uniqueId('friend')}@example.com` }, 1);
    const referral = (await club.api('GET', `/v1/members/${referrer}/referral-code`)).body.code as string;

    const page = await browser.page({ locale: 'fa-IR', width: 390 });
    await page.goto(`${club.url}/club?ref=${encodeURIComponent(referral)}`);
    await expect.poll(() => page.getByTestId('sign-in').isVisible()).toBe(true);
    // Open, filled in, and labelled: the member sees whose code it is before sending.
    expect(await page.getByLabel('کد معرف (اختیاری)').inputValue()).toBe(referral);
    expect(await fitsWidth(page)).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);

    const email = `${uniqueId('joins')}@example.com`.toLowerCase();
    await page.getByTestId('sign-in-address').fill(email);
    await page.getByRole('button', { name: 'ارسال کد' }).click();
    await expect.poll(() => page.getByTestId('sign-in-sent').isVisible()).toBe(true);
    await page.getByTestId('sign-in-code').fill(await codeSentTo(email));
    await page.getByRole('button', { name: 'ورود', exact: true }).click();
    await expect.poll(() => page.getByTestId('balance').isVisible()).toBe(true);
    const [joined] = (await club.api('GET', `/v1/members?email=${encodeURIComponent(email)}`)).body.items;
    expect(joined).toMatchObject({ email, referredBy: referral, channel: 'club-page' });
    expect(await fitsWidth(page)).toBe(true);
  });

  it('without ?ref= the referral code is tucked away, and an empty one sends no referredBy', async () => {
    const page = await browser.page({ locale: 'en-US', width: 390 });
    await page.goto(`${club.url}/club?lang=en`);
    await expect.poll(() => page.getByTestId('sign-in').isVisible()).toBe(true);
    expect(await page.getByTestId('sign-in-referral').isVisible()).toBe(false);
    await page.getByText('Joining with a referral code?').click();
    expect(await page.getByTestId('sign-in-referral').isVisible()).toBe(true);

    const email = `${uniqueId('plain')}@example.com`.toLowerCase();
    await page.getByTestId('sign-in-address').fill(email);
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect.poll(() => page.getByTestId('sign-in-sent').isVisible()).toBe(true);
    await page.getByTestId('sign-in-code').fill(await codeSentTo(email));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByTestId('balance').isVisible()).toBe(true);
    const [joined] = (await club.api('GET', `/v1/members?email=${encodeURIComponent(email)}`)).body.items;
    expect(joined.email).toBe(email);
    expect(joined.referredBy ?? null).toBeNull();
  });
});
