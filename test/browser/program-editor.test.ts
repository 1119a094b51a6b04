/**
 * The program editor in the console: an admin changes the earning rate, sees the
 * change and the simulator's figures, saves, and the next order earns by the new
 * rate; a refused program shows each problem beside its field; a version
 * conflict reloads the running program, keeps the admin's edit and says what the
 * other save changed.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { seedCatalog } from '../support/pages';

let club: TestClub;
let browser: TestBrowser;
beforeAll(async () => {
  club = await startTestClub();
  browser = await startBrowser();
  await seedCatalog(club);
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
});

const program = async () => (await club.api('GET', '/v1/admin/program')).body;
const field = (page: Page, path: string) => page.locator(`[name="${path}"]`);

async function openEditor(): Promise<Page> {
  const page = await browser.page({ width: 1100 });
  await page.goto(`${club.url}/admin`);
  await page.getByLabel('token').fill(club.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Program' }).click();
  await page.getByRole('button', { name: 'Edit the program' }).click();
  await expect.poll(() => page.getByTestId('program-editor').count()).toBe(1);
  return page;
}

describe('the program editor', () => {
  it('an admin changes the earning rate: the change and the last 30 days simulated, saved, and the next order earns by it', async () => {
    const memberId = uniqueId('m');
    expect((await club.api('POST', '/v1/members', { memberId })).status).toBe(201);
    expect((await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '10.00', currency: 'USD' })).body.points).toBe(
      10,
    );
    const before = await program();
    const page = await openEditor();
    expect(await field(page, 'earning.pointsPerUnit').inputValue()).toBe(before.earning.pointsPerUnit);
    await field(page, 'earning.pointsPerUnit').fill('3');
    await page.getByRole('button', { name: 'Review the change' }).click();
    await expect.poll(() => page.getByTestId('diff').textContent()).toBe(`earning.pointsPerUnit: "${before.earning.pointsPerUnit}" → "3"`);
    // The simulator re-prices the last 30 days' real orders at the new rate: the same orders, three times the points.
    const sim = (
      await club.api('POST', '/v1/admin/program/simulate', {
        program: {
          ...before,
          version: undefined,
          updatedAt: undefined,
          updatedBy: undefined,
          earning: { ...before.earning, pointsPerUnit: '3' },
        },
        lastDays: 30,
      })
    ).body;
    expect(sim.totalPoints).toBe(sim.actualTotalPoints * 3);
    await expect
      .poll(() => page.getByTestId('simulation').textContent())
      .toBe(
        `On the last 30 days' ${sim.ordersPriced.toLocaleString('en-US')} orders this program would give ${sim.totalPoints.toLocaleString('en-US')} points (they earned ${sim.actualTotalPoints.toLocaleString('en-US')}).`,
      );
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.textContent('body')).toContain(`Saved: version ${before.version + 1} is running.`);
    expect((await program()).earning.pointsPerUnit).toBe('3');
    // 12.00 at 3 points a unit.
    expect((await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '12.00', currency: 'USD' })).body.points).toBe(
      36,
    );
  });

  it('a refused program shows each problem beside its field and saves nothing', async () => {
    const before = await program();
    const page = await openEditor();
    await field(page, 'earning.pointsPerUnit').fill('three');
    await field(page, 'tiers.graceDays').fill('999');
    // A fixed discount with no amount.
    await field(page, 'rewards.1.amount').fill('');
    await page.getByRole('button', { name: 'Review the change' }).click();
    const problem = (path: string) => page.locator(`[data-path="${path}"] .problem`).textContent();
    await expect.poll(() => problem('earning.pointsPerUnit')).toContain('a non-negative decimal such as "199.90"');
    expect(await problem('tiers.graceDays')).toMatch(/365/);
    expect(await problem('rewards.1.amount')).toContain('a fixed-discount reward needs amount');
    expect(await field(page, 'earning.pointsPerUnit').getAttribute('aria-invalid')).toBe('true');
    expect(await field(page, 'earning.pointsPerUnit').getAttribute('aria-describedby')).toBe('problem-earning.pointsPerUnit');
    expect(await page.locator('[aria-invalid=true]').count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    expect((await program()).version).toBe(before.version);
  });

  it('a version conflict: the running program is reloaded, the edit kept on top, and what the other save changed is listed', async () => {
    const page = await openEditor();
    const opened = await program();
    // Someone else raises the sign-up bonus while the editor is open.
    const other = await club.api('PUT', '/v1/admin/program', { ...opened, bonuses: { ...opened.bonuses, signUp: 77 } });
    expect(other.status, JSON.stringify(other.body)).toBe(200);

    await field(page, 'earning.minimumOrder').fill('20');
    await page.getByRole('button', { name: 'Review the change' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('conflict').textContent()).toContain(`(version ${opened.version} → ${opened.version + 1})`);
    expect(await page.getByTestId('their-changes').locator('li').allTextContents()).toEqual([
      `bonuses.signUp: ${opened.bonuses.signUp} → 77`,
    ]);
    expect(await field(page, 'bonuses.signUp').inputValue()).toBe('77');
    expect(await field(page, 'earning.minimumOrder').inputValue()).toBe('20');
    expect((await program()).version).toBe(opened.version + 1);

    await page.getByRole('button', { name: 'Review the change' }).click();
    await expect.poll(() => page.getByTestId('diff').textContent()).toBe(`earning.minimumOrder: "${opened.earning.minimumOrder}" → "20"`);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.textContent('body')).toContain(`Saved: version ${opened.version + 2} is running.`);
    const saved = await program();
    expect([saved.earning.minimumOrder, saved.bonuses.signUp]).toEqual(['20', 77]);
  });

  it("the review prices the program's challenges on the last 30 days' orders", async () => {
    const tag = uniqueId('t');
    const current = await program();
    const challenge = {
      id: 'two-orders',
      name: { fa: 'دو سفارش در ماه', en: 'Two orders a month' },
      period: { repeat: 'monthly' },
      goal: { kind: 'orders', target: 2 },
      reward: { points: 100 },
      audience: { tags: [tag] },
    };
    // A referrals goal is priced too: one tagged referrer whose friend's first order pays the referral.
    const friends = { ...challenge, id: 'one-friend', name: { fa: 'یک دوست', en: 'One friend' }, goal: { kind: 'referrals', target: 1 } };
    const bonuses = { ...current.bonuses, referral: { referrer: 5, referred: 0 } };
    const put = await club.api('PUT', '/v1/admin/program', { ...current, bonuses, challenges: [challenge, friends] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const referrer = uniqueId('m');
    expect((await club.api('POST', '/v1/members', { memberId: referrer, tags: [tag] })).status).toBe(201);
    const friend = uniqueId('m');
    expect((await club.api('POST', '/v1/members', { memberId: friend, referredBy: referrer })).status).toBe(201);
    // Above the minimum order an earlier test saves (20): an order that earns nothing pays no referral.
    expect(
      (await club.api('POST', '/v1/earn', { memberId: friend, orderId: uniqueId('o'), amount: '30.00', currency: 'USD' })).status,
    ).toBe(200);
    // One tagged member with two orders now: one taking part, one completion, 100 points.
    const memberId = uniqueId('m');
    expect((await club.api('POST', '/v1/members', { memberId, tags: [tag] })).status).toBe(201);
    for (const amount of ['30.00', '40.00'])
      expect((await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount, currency: 'USD' })).status).toBe(200);
    const page = await openEditor();
    await field(page, 'bonuses.signUp').fill('78');
    await page.getByRole('button', { name: 'Review the change' }).click();
    await expect
      .poll(() => page.getByTestId('challenge-simulation').textContent())
      .toBe(
        'Challenge "Two orders a month" on those orders: 1 taking part, 1 completed, 100 points.' +
          'Challenge "One friend" on those orders: 1 taking part, 1 completed, 100 points.',
      );
  });
});
