/**
 * The console's Costs tab on AWS: the bill Cost Explorer gave, per service, beside
 * the modelled figure with the difference; and, when Cost Explorer refused, why.
 * The local club has no bill, so the costs answer is the local one with an AWS
 * answer's `billed` put in (the shape is the API's: shared/schemas/reports.ts).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, type TestBrowser } from '../support/browser';
import { startTestClub, type TestClub } from '../support/club';

let club: TestClub;
let browser: TestBrowser;
beforeAll(async () => {
  club = await startTestClub();
  browser = await startBrowser();
});
afterAll(async () => {
  await browser?.close();
  await club?.stop();
});

async function costsWith(billed: unknown): Promise<Page> {
  process.env.STAFF_TOKENS = 'fatemeh:viewer:viewer-secret-1';
  const page = await browser.page({ width: 1100 });
  await page.route('**/v1/reports/costs?*', async (route) => {
    const res = await route.fetch();
    if (new URL(route.request().url()).searchParams.get('format') === 'csv') return route.fulfill({ response: res });
    route.fulfill({ response: res, json: { ...(await res.json()), source: 'cloudwatch', billed } });
  });
  await page.goto(`${club.url}/admin`);
  await page.getByLabel('token').fill('viewer-secret-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Costs' }).click();
  return page;
}

describe('the Costs tab on AWS', () => {
  it('shows the billed amount per service, and the modelled figure and the difference beside it', async () => {
    const page = await costsWith({
      available: true,
      readOn: '2026-03-03',
      services: [
        { service: 'Amazon DynamoDB', amount: 0.03 },
        { service: 'AWS Lambda', amount: 0.02 },
      ],
      total: 0.05,
      modelled: 0.04,
      difference: 0.01,
    });
    const card = page.getByTestId('cost-billed');
    await expect.poll(() => card.locator('[data-service="Amazon DynamoDB"]').textContent()).toBe('Amazon DynamoDB$0.0300');
    expect(await card.locator('[data-service="AWS Lambda"]').textContent()).toBe('AWS Lambda$0.0200');
    expect(await card.textContent()).toContain('Billed $0.0500; modelled $0.0400');
    expect(await card.textContent()).toContain('difference $0.0100');
  });

  it('says why the bill is missing when Cost Explorer refused, and still shows the model', async () => {
    const page = await costsWith({
      available: false,
      reason: 'AccessDeniedException: not authorized',
      services: [],
      total: null,
      modelled: 0.04,
      difference: null,
    });
    const card = page.getByTestId('cost-billed');
    await expect.poll(() => card.textContent()).toContain('AccessDeniedException: not authorized');
    expect(await card.locator('[data-service]').count()).toBe(0);
    expect(await page.getByTestId('costs').isVisible()).toBe(true);
  });
});
