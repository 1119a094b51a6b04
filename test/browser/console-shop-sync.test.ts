/**
 * The console's list of reward codes the shop did not take: a push that failed
 * during a Shopify outage is shown with the shop's answer under the deliveries,
 * and Retry, once the shop is back, makes its one discount and takes it off the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventsAndNotifier } from '../../local/automations';
import { shopSyncQueueService } from '../../local/shop-sync-queue';
import { startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';
import { SHOPIFY_TEST_TOKEN, startFakeShopify, type FakeShopify } from '../support/fake-shopify';
import { uniqueId } from '../support/ledger';
import { waitFor } from '../support/webhooks';

let club: TestClub;
let browser: TestBrowser;
let shopify: FakeShopify;
beforeAll(async () => {
  shopify = await startFakeShopify();
  process.env.SHOPIFY_SHOP = 'club-test.myshopify.com';
  process.env.SHOPIFY_ADMIN_TOKEN = SHOPIFY_TEST_TOKEN;
  process.env.SHOPIFY_ADMIN_API_URL = shopify.url;
  club = await startTestClub({ services: [localEventsAndNotifier(), shopSyncQueueService({ maxReceives: 1 })] });
  browser = await startBrowser();
  const saved = await club.api('PUT', '/v1/admin/program', {
    expectedVersion: 1,
    rewards: [{ rewardId: 'ten-off', name: '10 off', kind: 'fixed-discount', amount: '10.00', pointsPrice: 100 }],
  });
  expect(saved.status, saved.text).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
  for (const name of ['SHOPIFY_SHOP', 'SHOPIFY_ADMIN_TOKEN', 'SHOPIFY_ADMIN_API_URL', 'STAFF_TOKENS']) delete process.env[name];
  await shopify?.stop();
});

describe('failed shop pushes in the console', () => {
  it('lists the push with the shop’s answer; Retry after the outage makes one discount and clears it', async () => {
    const memberId = uniqueId('c');
    expect((await club.api('POST', '/v1/members', { memberId, externalIds: { shopify: '8001' } })).status).toBe(201);
    expect((await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '150', currency: 'USD' })).status).toBe(200);
    shopify.outage(true);
    const redeemed = await club.api('POST', '/v1/redeem', { memberId, points: 100, idempotencyKey: uniqueId('k'), rewardId: 'ten-off' });
    const code: string = redeemed.body.reward.code;
    const id = `shopify_${code}`;
    await waitFor(async () => (await club.api('GET', `/v1/rewards/codes/${code}`)).body.shop?.status === 'failed' || undefined, 'failed');

    process.env.STAFF_TOKENS = 'sara:operator:operator-secret-1';
    const page = await browser.page({ width: 1100 });
    await page.goto(`${club.url}/admin`);
    await page.getByLabel('token').fill('operator-secret-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toBe('sara · operator');
    await page.getByRole('button', { name: 'Deliveries' }).click();

    const row = page.locator(`[data-push="${id}"]`);
    await expect.poll(() => row.textContent()).toContain(`${code} · shopify · ${memberId}`);
    expect(await row.textContent()).toMatch(/503/);

    shopify.outage(false);
    await row.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.locator(`[data-push="${id}"]`).count()).toBe(0);
    expect(shopify.discounts.filter((d) => d.input.code === code)).toHaveLength(1);
  });
});
