/**
 * The console's Costs tab: the fixed monthly floor line by line as the costs answer
 * gives it in `fixedMonthly` (each resource in words with its count, price each and
 * month; the total; the idle floor and the idle floor in an account of its own, each
 * said in words), in English and Persian (Persian digits), at the console's widths.
 * The answer's floor is replaced by one with hand-picked figures, so every line's
 * text is known here (the shape is the API's: shared/schemas/reports.ts).
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

const FLOOR = {
  items: [
    { resource: 'customMetrics', count: 12, unitPrice: 0.3, monthly: 3.6, note: 'cost per route' },
    { resource: 'alarmMetrics', count: 31, unitPrice: 0.1, monthly: 3.1, note: 'alarms' },
    { resource: 'dashboards', count: 0, unitPrice: 3, monthly: 0, note: 'dashboard' },
    { resource: 'secrets', count: 6, unitPrice: 0.4, monthly: 2.4, note: 'secrets' },
    { resource: 'userPools', count: 1, unitPrice: 0, monthly: 0, note: 'staff sign-in' },
    { resource: 'kmsKeys', count: 0, unitPrice: 1, monthly: 0, note: 'none' },
  ],
  // 3.60 + 3.10 + 2.40; idle without the custom metrics: 3.10 + 2.40; in an account of its own 10 alarm metrics free: 2.10 + 2.40.
  total: 9.1,
  idle: 5.5,
  idleInFreeTier: 4.5,
};

async function costsIn(lang: 'en' | 'fa', width: number): Promise<Page> {
  const page = await browser.page({ width, locale: lang === 'fa' ? 'fa-IR' : 'en-US' });
  await page.route('**/v1/reports/costs?*', async (route) => {
    const res = await route.fetch();
    if (new URL(route.request().url()).searchParams.get('format') === 'csv') return route.fulfill({ response: res });
    route.fulfill({ response: res, json: { ...(await res.json()), fixedMonthly: FLOOR } });
  });
  await page.goto(`${club.url}/admin`);
  await page.locator('input[name=token]').fill(club.token);
  await page.locator('form.signin button[type=submit]').click();
  await expect.poll(() => page.getByTestId('who').count()).toBe(1);
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  await page.locator('[data-tab=Costs]').click();
  await expect.poll(() => page.locator('[data-testid=cost-fixed] [data-resource]').count()).toBe(7);
  return page;
}

const cells = (page: Page, resource: string) => page.locator(`[data-testid=cost-fixed] [data-resource=${resource}] td`).allTextContents();

describe("the Costs tab's fixed monthly floor", () => {
  for (const width of [390, 1100]) {
    it(`en at ${width}px: a line per resource in words, the total, and what idle and idle in an account of its own mean`, async () => {
      const page = await costsIn('en', width);
      expect(await cells(page, 'customMetrics')).toEqual(['Custom metrics (the cost per route)', '12', '$0.30', '$3.60']);
      expect(await cells(page, 'alarmMetrics')).toEqual(['Alarm metrics', '31', '$0.10', '$3.10']);
      expect(await cells(page, 'dashboards')).toEqual(['Dashboards', '0', '$3.00', '$0.00']);
      expect(await cells(page, 'secrets')).toEqual(['Secrets', '6', '$0.40', '$2.40']);
      expect(await cells(page, 'userPools')).toEqual(['Staff user pool (Cognito)', '1', '$0.00', '$0.00']);
      expect(await cells(page, 'kmsKeys')).toEqual(['KMS keys', '0', '$1.00', '$0.00']);
      expect(await cells(page, 'total')).toEqual(['Total', '', '', '$9.10']);
      expect(await page.getByTestId('cost-idle').textContent()).toBe(
        'Idle: $5.50 a month. What the stack pays serving no request at all: every line above but the custom metrics, at list prices.',
      );
      expect(await page.getByTestId('cost-idle-free-tier').textContent()).toBe(
        "In an account of its own: $4.50 a month. The idle floor where CloudWatch's free tier (3 dashboards, 10 alarm metrics) is all this stack's.",
      );
      await page.close();
    });

    it(`fa at ${width}px: the same lines in Persian words with Persian digits`, async () => {
      const page = await costsIn('fa', width);
      expect(await cells(page, 'customMetrics')).toEqual(['متریک‌های سفارشی (هزینهٔ هر مسیر)', '۱۲', '$۰٫۳۰', '$۳٫۶۰']);
      expect(await cells(page, 'alarmMetrics')).toEqual(['متریک‌های هشدار', '۳۱', '$۰٫۱۰', '$۳٫۱۰']);
      expect(await cells(page, 'dashboards')).toEqual(['داشبوردها', '۰', '$۳٫۰۰', '$۰٫۰۰']);
      expect(await cells(page, 'secrets')).toEqual(['رازها (Secrets Manager)', '۶', '$۰٫۴۰', '$۲٫۴۰']);
      expect(await cells(page, 'userPools')).toEqual(['مخزن کاربران کارکنان (Cognito)', '۱', '$۰٫۰۰', '$۰٫۰۰']);
      expect(await cells(page, 'kmsKeys')).toEqual(['کلیدهای KMS', '۰', '$۱٫۰۰', '$۰٫۰۰']);
      expect(await cells(page, 'total')).toEqual(['جمع', '', '', '$۹٫۱۰']);
      expect(await page.getByTestId('cost-idle').textContent()).toBe(
        'بیکار: $۵٫۵۰ در ماه. آنچه پشته بدون هیچ درخواستی می‌پردازد: همهٔ سطرهای بالا جز متریک‌های سفارشی، به قیمت فهرست.',
      );
      expect(await page.getByTestId('cost-idle-free-tier').textContent()).toBe(
        'در حسابی فقط برای این پشته: $۴٫۵۰ در ماه. هزینهٔ بیکاری وقتی سهمیهٔ رایگان CloudWatch (۳ داشبورد، ۱۰ متریک هشدار) همه از آنِ این پشته باشد.',
      );
      await page.close();
    });
  }

  it('fa: every other figure of the tab in Persian digits too, and each line says what it is in Persian', async () => {
    const page = await costsIn('fa', 390);
    // The figures, the services table and the routes' numbers (a route's own name, /v1/…, is code and stays as written).
    const figures = await page.locator('[data-testid=costs] .figures').textContent();
    const services = await page.locator('[data-testid=cost-services] tbody td:not(:first-child)').allTextContents();
    const routes = await page.locator('[data-testid=cost-routes] tbody td:not(:first-child)').allTextContents();
    expect(services.length).toBeGreaterThan(0);
    expect(routes.length).toBeGreaterThan(0);
    for (const text of [figures ?? '', ...services, ...routes]) expect(text, text).not.toMatch(/[0-9]/);
    expect(services.join(' ')).toMatch(/\$[۰-۹]/);
    expect(routes.join(' ')).toMatch(/\$[۰-۹]/);
    // A share of the services is a percentage in Persian digits.
    expect(services.join(' ')).toMatch(/[۰-۹]٫[۰-۹]٪/);
    // The hover text of each floor line: Persian words, never the answer's English note.
    for (const resource of ['customMetrics', 'alarmMetrics', 'dashboards', 'secrets', 'userPools', 'kmsKeys']) {
      const title = await page.locator(`[data-testid=cost-fixed] [data-resource=${resource}]`).getAttribute('title');
      expect(title, resource).toMatch(/[\u0600-\u06FF]{3}/);
      expect(title, resource).not.toBe(FLOOR.items.find((i) => i.resource === resource)!.note);
    }
    await page.close();
  });

  it("en: the hover text of a floor line is the answer's note", async () => {
    const page = await costsIn('en', 1100);
    expect(await page.locator('[data-testid=cost-fixed] [data-resource=alarmMetrics]').getAttribute('title')).toBe('alarms');
    await page.close();
  });
});
