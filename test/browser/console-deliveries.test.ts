/**
 * The console's webhook deliveries: what each parked order is (order id,
 * customer, amount), replaying it with a corrected body (checked as JSON before
 * it is sent; the API's refusal and a replay already in progress shown), and
 * paging past the first 50 with the API's cursor.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { memberWithHistory } from '../support/pages';
import { sendGeneric, useWebhookSecrets, waitFor } from '../support/webhooks';

let club: TestClub;
let browser: TestBrowser;
beforeAll(async () => {
  club = await startTestClub();
  browser = await startBrowser();
  useWebhookSecrets();
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
});

const failed = async () => (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];

/** Orders in pounds, which the club (USD) doesn't take: parked on the failed list. */
async function parkGbpOrders(memberId: string, amounts: string[]): Promise<{ orderId: string; id: string }[]> {
  const orderIds = amounts.map(() => uniqueId('gbp-order'));
  for (const [i, orderId] of orderIds.entries()) {
    expect(
      (await sendGeneric(club, { event: 'order.paid', orderId, amount: amounts[i], currency: 'GBP', customer: { memberId } })).status,
    ).toBe(202);
  }
  return waitFor(async () => {
    const items = await failed();
    const found = orderIds.map((orderId) => ({ orderId, id: items.find((d) => d.body.includes(orderId))?.id as string | undefined }));
    return found.every((f) => f.id) ? (found as { orderId: string; id: string }[]) : undefined;
  }, 'the GBP orders to be parked');
}

async function signIn(): Promise<Page> {
  process.env.STAFF_TOKENS = 'sara:operator:operator-secret-1';
  const page = await browser.page({ width: 1100 });
  await page.goto(`${club.url}/admin`);
  await page.getByLabel('token').fill('operator-secret-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByTestId('who').textContent()).toBe('sara · operator');
  await page.getByRole('button', { name: 'Deliveries' }).click();
  return page;
}

describe('webhook deliveries in the console', () => {
  it('shows the order, customer and amount; replays a corrected body after refusing one that is not JSON and showing the API refusal', async () => {
    const { memberId } = await memberWithHistory(club);
    const [parked] = await parkGbpOrders(memberId, ['40.00']);
    const page = await signIn();
    const row = page.locator(`[data-delivery="${parked!.id}"]`);
    await expect.poll(() => row.locator('td').allTextContents()).toEqual(expect.arrayContaining([parked!.orderId, memberId, '40.00 GBP']));

    await row.getByRole('button', { name: 'Edit the body' }).click();
    const editor = page.getByLabel('delivery body');
    expect(JSON.parse(await editor.inputValue())).toMatchObject({ orderId: parked!.orderId, currency: 'GBP' });

    // Not JSON: said beside the editor and not sent.
    await editor.fill('{"event": "order.paid", ');
    await page.getByRole('button', { name: 'Replay this body' }).click();
    await expect.poll(() => page.getByTestId('body-problem').textContent()).toMatch(/^Not JSON: /);
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    expect((await failed()).find((d) => d.id === parked!.id)?.attempts).toBe(1);

    // JSON the club still can't apply (euros): the API's 422 is shown, the delivery stays failed.
    const body = (currency: string, amount: string) =>
      JSON.stringify({ event: 'order.paid', orderId: parked!.orderId, amount, currency, customer: { memberId } }, null, 2);
    await editor.fill(body('EUR', '40.00'));
    await page.getByRole('button', { name: 'Replay this body' }).click();
    await expect.poll(() => page.getByTestId('body-problem').textContent()).toContain('REPLAY_FAILED');
    expect((await failed()).some((d) => d.id === parked!.id)).toBe(true);

    // Corrected to the club's currency: applied, the row leaves the failed list, the member earns.
    await editor.fill(body('USD', '52.00'));
    await page.getByRole('button', { name: 'Replay this body' }).click();
    await expect.poll(() => page.textContent('body')).toContain(`Replayed ${parked!.id}.`);
    expect(await row.count()).toBe(0);
    expect((await club.api('GET', `/v1/members/${memberId}`)).body.balance).toBe(335 + 52);
    const replayed = (await club.api('GET', '/v1/admin/deliveries?status=replayed&limit=100')).body.items.find(
      (d: any) => d.id === parked!.id,
    );
    expect(replayed?.status).toBe('replayed');
  });

  it('says so when another replay holds the delivery (409 REPLAY_IN_PROGRESS)', async () => {
    const { memberId } = await memberWithHistory(club);
    const [parked] = await parkGbpOrders(memberId, ['12.00']);
    const page = await signIn();
    const row = page.locator(`[data-delivery="${parked!.id}"]`);
    await expect.poll(() => row.count()).toBe(1);
    // Another member of staff's replay is running: the API answers 409 while it holds the delivery.
    await page.route(`**/v1/admin/deliveries/${parked!.id}/replay`, (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'REPLAY_IN_PROGRESS', message: 'another request is replaying this delivery' } }),
      }),
    );
    await row.getByRole('button', { name: 'Replay', exact: true }).click();
    await expect
      .poll(() => page.locator('.msg.error').textContent())
      .toBe('Someone else is replaying this delivery right now; list it again in a moment.');
    expect(await row.count()).toBe(1);
  });

  it('pages past the first 50 with the API cursor', async () => {
    const { memberId } = await memberWithHistory(club);
    await parkGbpOrders(
      memberId,
      Array.from({ length: 52 }, (_, i) => `${i + 1}.00`),
    );
    const all = new Set<string>();
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page = (
        await club.api('GET', `/v1/admin/deliveries?status=failed&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      ).body;
      for (const d of page.items) all.add(d.id);
      cursor = page.nextCursor ?? undefined;
    }
    expect(all.size).toBeGreaterThan(50);
    const page = await signIn();
    const rows = page.locator('[data-delivery]');
    await expect.poll(() => rows.count()).toBe(50);
    await page.getByRole('button', { name: 'More' }).click();
    await expect.poll(() => rows.count()).toBe(all.size);
    expect(await page.getByRole('button', { name: 'More' }).count()).toBe(0);
    const shown = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-delivery')));
    expect(new Set(shown)).toEqual(all);
  });
});
