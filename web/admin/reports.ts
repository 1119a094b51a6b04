/// <reference lib="dom" />
/**
 * The console's Reports and Costs tabs: a period chooser (30 days, 90 days,
 * 12 months or from–to), the summary figures with the liability and a simple
 * ROI view, inline SVG charts of the series, the cost per route, per service,
 * per 1,000 orders, per 1,000 webhook deliveries and per member per month, and
 * CSV downloads of each. Every figure is
 * the API's (GET /v1/reports/summary|series|costs); the console only draws it.
 */
import { call, downloadCsv, h, mount } from '../common/dom';
import {
  bucketLabel,
  formatRate,
  formatUsd,
  intervalFor,
  periodRange,
  ratio,
  type Interval,
  type Period,
  type ReportRange,
} from '../common/report-format';
import { lineChart } from './charts';
import { cards, errorText, message } from './ui';
import { day, lang, money, num, w } from './words';
/** Latin digits and separators in the language's: the costs answer prices in USD only, in fa said with Persian digits. */
const inDigits = (text: string) =>
  lang === 'fa' ? text.replace(/[0-9.,%]/g, (c) => ({ '.': '٫', ',': '٬', '%': '٪' })[c] ?? '۰۱۲۳۴۵۶۷۸۹'[Number(c)]!) : text;
/** A request's USD (three figures of a fraction of a cent; formatUsd), in the language's digits. */
const usd = (amount: number | null | undefined) => inDigits(formatUsd(amount));
/** A monthly USD figure of the fixed floor, to the cent, in the language's digits. */
const usdIn = (amount: number | null | undefined) => {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  return inDigits(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount));
};
const today = () => new Date().toISOString().slice(0, 10);

/** The chosen period, kept while staff move between tabs. */
let chosen: { period: Period } & ReportRange = { period: '30d', ...periodRange('30d', today()) };

const PERIODS: Period[] = ['30d', '90d', '12m', 'custom'];

function periodForm(withInterval: boolean, load: () => void): HTMLElement {
  const period = h(
    'select',
    { name: 'period', 'aria-label': w.periodLabel },
    PERIODS.map((v) => h('option', { value: v, selected: v === chosen.period }, w.periods[v])),
  );
  const from = h('input', { type: 'date', name: 'from', 'aria-label': w.fromLabel, value: chosen.from, required: true });
  const to = h('input', { type: 'date', name: 'to', 'aria-label': w.toLabel, value: chosen.to, required: true });
  const interval = h(
    'select',
    { name: 'interval', 'aria-label': w.intervalLabel },
    (['day', 'week', 'month'] as const).map((v) => h('option', { value: v, selected: v === chosen.interval }, w.by(w.intervals[v]!))),
  );
  // The browser refuses to submit a "to" before "from".
  const bound = () => ((to.min = from.value), (from.max = to.value));
  bound();
  period.addEventListener('change', () => {
    const p = period.value as Period;
    if (p === 'custom') return from.focus();
    chosen = { period: p, ...periodRange(p, today()) };
    [from.value, to.value, interval.value] = [chosen.from, chosen.to, chosen.interval];
    bound();
    load();
  });
  // Typing a date makes it a custom period and picks the interval that reads best (still changeable).
  for (const input of [from, to]) {
    input.addEventListener('change', () => {
      period.value = 'custom';
      bound();
      if (from.value && to.value && from.value <= to.value) interval.value = intervalFor(from.value, to.value);
    });
  }
  return h(
    'form',
    {
      className: 'card period',
      onsubmit: (e: Event) => {
        e.preventDefault();
        chosen = { period: period.value as Period, from: from.value, to: to.value, interval: interval.value as Interval };
        load();
      },
    },
    period,
    from,
    to,
    withInterval ? interval : null,
    h('button', { type: 'submit' }, w.show),
  );
}

const figure = (key: string, label: string, value: string, hint?: string) =>
  h(
    'div',
    { className: 'figure', 'data-figure': key },
    h('span', { className: 'label' }, label),
    h('strong', {}, value),
    hint ? h('small', { className: 'muted' }, hint) : null,
  );

function downloadButton(token: string, label: string, path: string, fallback: string, status: HTMLElement): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      className: 'secondary',
      onclick: async () => {
        const failed = await downloadCsv(token, path, fallback);
        mount(status, ...(failed ? [message(failed, 'error')] : []));
      },
    },
    label,
  );
}

const unavailable = (status: number) => status === 404 || status === 405;

// --- reports -------------------------------------------------------------------

const CHARTED = ['pointsIssued', 'pointsRedeemed', 'pointsExpired', 'activeMembers', 'repeatPurchaseRate'] as const;

export async function reportsView(token: string, main: HTMLElement): Promise<void> {
  const body = h('div', {});
  const load = () => void loadReports(token, body).catch((err) => mount(body, message(String(err), 'error')));
  mount(main, periodForm(true, load), body);
  await loadReports(token, body);
}

async function loadReports(token: string, el: HTMLElement): Promise<void> {
  const { from, to, interval } = chosen;
  const window = `from=${from}&to=${to}`;
  const [summary, series, costs] = await Promise.all([
    call(token, 'GET', `/v1/reports/summary?${window}`),
    call(token, 'GET', `/v1/reports/series?${window}&interval=${interval}&metric=${CHARTED.join(',')}`),
    call(token, 'GET', `/v1/reports/costs?${window}`),
  ]);
  if (unavailable(summary.status)) return mount(el, message(w.noReports, 'error'));
  if (summary.status !== 200) return mount(el, message(errorText(summary), 'error'));
  const r = summary.body;
  const status = h('div', {});

  const figures = h(
    'section',
    { className: 'card', 'data-testid': 'reports' },
    h('h2', {}, lang === 'fa' ? `${day(`${from}T12:00:00Z`)} – ${day(`${to}T12:00:00Z`)}` : `${from} – ${to}`),
    h(
      'div',
      { className: 'figures' },
      figure('members', w.members, num(r.members), w.newMembers(num(r.newMembers))),
      figure('activeMembers', w.activeMembers, num(r.activeMembers), w.orderedInPeriod),
      figure('orders', w.orders, num(r.orders), w.repeatOrders(num(r.repeatOrders))),
      figure('repeatPurchaseRate', w.repeatRate, formatRate(r.repeatPurchaseRate), w.repeatBuyers(num(r.repeatBuyers))),
      figure('pointsIssued', w.issued, num(r.pointsIssued)),
      figure('pointsRedeemed', w.redeemed, num(r.pointsRedeemed)),
      figure('pointsExpired', w.expired, num(r.pointsExpired)),
      figure('redemptionRate', w.redemptionRate, formatRate(r.redemptionRate)),
      figure('pointsOutstanding', w.outstanding, num(r.pointsOutstanding), w.pendingN(num(r.pointsPending))),
      figure('outstandingValue', w.liability, money(r.outstandingValue, r.currency), w.atPointValue(money(r.pointValue, r.currency))),
      figure('profileCompleteRate', w.profilesComplete, formatRate(r.profileCompleteRate), w.membersN(num(r.profilesComplete))),
      figure('smsConsentRate', w.smsConsent, formatRate(r.smsConsentRate), w.membersN(num(r.smsConsent))),
      figure('emailConsentRate', w.emailConsent, formatRate(r.emailConsentRate), w.membersN(num(r.emailConsent))),
      figure('offersConsentRate', w.offersConsent, formatRate(r.offersConsentRate), w.membersN(num(r.offersConsent))),
    ),
    r.exact === false ? h('p', { className: 'muted' }, w.approximate) : null,
  );

  // Both sources carry the period's total now (on AWS read from the cost metrics).
  const runningCost = costs.status === 200 ? usd(costs.body.totalCost) : w.seeDashboard;
  const perReward = ratio(r.repeatRevenue, r.rewardsValue);
  const roi = h(
    'section',
    { className: 'card', 'data-testid': 'roi' },
    h('h2', {}, w.roi),
    h(
      'div',
      { className: 'figures' },
      figure('revenue', w.revenue, money(r.revenue, r.currency)),
      figure('repeatRevenue', w.repeatRevenue, money(r.repeatRevenue, r.currency), w.fromReturning),
      figure('rewardsValue', w.rewardsGiven, money(r.rewardsValue, r.currency), w.rewardsHint),
      figure('repeatPerReward', w.perReward, perReward === null ? '—' : `${perReward.toFixed(2)}×`),
      figure('runningCost', w.runningCost, runningCost, w.costsTab),
    ),
  );

  const items: any[] = series.status === 200 ? series.body.items : [];
  const labels = items.map((i) => bucketLabel(i.from, interval, lang));
  const col = (m: (typeof CHARTED)[number]) => items.map((i) => Number(i[m]));
  const charts = h(
    'section',
    { className: 'card charts', 'data-testid': 'charts' },
    h('h2', {}, w.byInterval(w.intervals[interval]!)),
    series.status !== 200
      ? message(errorText(series), 'error')
      : [
          lineChart(
            'Points',
            w.chartPoints,
            [
              { name: 'issued', label: w.lineIssued, values: col('pointsIssued') },
              { name: 'redeemed', label: w.lineRedeemed, values: col('pointsRedeemed') },
              { name: 'expired', label: w.lineExpired, values: col('pointsExpired') },
            ],
            labels,
            num,
            true,
          ),
          lineChart(
            'Active members',
            w.chartActive,
            [{ name: 'active', label: w.lineActive, values: col('activeMembers') }],
            labels,
            num,
            true,
          ),
          lineChart(
            'Repeat purchase rate',
            w.repeatRate,
            [{ name: 'repeat purchase rate', label: w.lineRepeat, values: col('repeatPurchaseRate') }],
            labels,
            formatRate,
          ),
        ],
  );

  const downloads = h(
    'section',
    { className: 'card' },
    h('h3', {}, w.csv),
    h(
      'p',
      { className: 'actions' },
      downloadButton(token, w.summaryCsv, `/v1/reports/summary?${window}&format=csv`, `loyalty-summary-${from}-${to}.csv`, status),
      ' ',
      downloadButton(
        token,
        w.seriesCsv,
        `/v1/reports/series?${window}&interval=${interval}&format=csv`,
        `loyalty-series-${interval}-${from}-${to}.csv`,
        status,
      ),
    ),
    status,
  );
  mount(el, figures, roi, charts, downloads);
}

// --- costs ---------------------------------------------------------------------

const SERVICES = [
  ['dynamodb', 'DynamoDB'],
  ['lambda', 'Lambda'],
  ['apiGateway', 'API Gateway'],
  ['sqs', 'SQS'],
  ['eventBridge', 'EventBridge'],
  ['scheduler', 'EventBridge Scheduler'],
  ['logs', 'CloudWatch Logs'],
  ['xray', 'X-Ray'],
  ['init', 'Lambda cold starts (INIT)'],
  ['total', 'Total'],
] as const;

export async function costsView(token: string, main: HTMLElement): Promise<void> {
  const body = h('div', {});
  const load = () => void loadCosts(token, body).catch((err) => mount(body, message(String(err), 'error')));
  mount(main, periodForm(false, load), body);
  await loadCosts(token, body);
}

async function loadCosts(token: string, el: HTMLElement): Promise<void> {
  const window = `from=${chosen.from}&to=${chosen.to}`;
  const res = await call(token, 'GET', `/v1/reports/costs?${window}`);
  if (unavailable(res.status)) return mount(el, message(w.noCosts, 'error'));
  if (res.status !== 200) return mount(el, message(errorText(res), 'error'));
  const c = res.body;
  const status = h('div', {});
  const head = h(
    'section',
    { className: 'card', 'data-testid': 'costs' },
    h('h2', {}, w.costTitle(`\u2068${c.from}\u2069`, `\u2068${c.to}\u2069`)),
    h(
      'p',
      { className: 'muted', 'data-testid': 'prices' },
      w.prices(c.prices?.asOf ?? '?', c.prices?.region ?? '?', c.prices?.currency ?? 'USD'),
    ),
    // The answer's note is English: in fa, the console's words for it.
    c.note ? message(w.sourceNote(c.source, c.note)) : null,
    h(
      'div',
      { className: 'figures' },
      figure('requests', w.requests, num(c.requests)),
      figure('totalCost', w.total, usd(c.totalCost)),
      figure('costPer1000Orders', w.per1000Orders, usd(c.costPer1000Orders), w.ordersN(num(c.orders))),
      figure('costPerMemberPerMonth', w.perMemberMonth, usd(c.costPerMemberPerMonth), w.membersN(num(c.members))),
      figure(
        'costPer1000Deliveries',
        w.per1000Deliveries,
        usd(c.webhooks?.costPer1000Deliveries),
        w.deliveriesN(num(c.webhooks?.deliveries ?? 0)),
      ),
    ),
  );
  const total = c.byService?.total ?? 0;
  const services = h(
    'section',
    { className: 'card' },
    h('h3', {}, w.byService),
    cards(
      h(
        'table',
        { 'data-testid': 'cost-services' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            w.serviceHead.map((t) => h('th', {}, t)),
          ),
        ),
        h(
          'tbody',
          {},
          SERVICES.map(([key, name]) =>
            h(
              'tr',
              { 'data-service': key },
              h('td', {}, key === 'total' ? w.total : name),
              h('td', { className: 'num' }, usd(c.byService?.[key])),
              h('td', { className: 'num' }, total > 0 ? inDigits(formatRate(c.byService[key] / total)) : '—'),
              h('td', { className: 'num' }, usd(c.webhooks?.byService?.[key])),
            ),
          ),
        ),
      ),
    ),
  );
  const routes: any[] = c.routes ?? [];
  const table = h(
    'section',
    { className: 'card' },
    h('h3', {}, w.byRoute),
    routes.length === 0
      ? h('p', { className: 'muted' }, w.noRequests)
      : cards(
          h(
            'table',
            { 'data-testid': 'cost-routes' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                w.routeHead.map((t) => h('th', {}, t)),
              ),
            ),
            h(
              'tbody',
              {},
              routes.map((r) =>
                h(
                  'tr',
                  { 'data-route': r.route },
                  h('td', { dir: 'ltr' }, r.route),
                  h('td', { className: 'num' }, num(r.requests)),
                  h('td', { className: 'num' }, num(r.rruPerRequest)),
                  h('td', { className: 'num' }, num(r.wruPerRequest)),
                  h('td', { className: 'num' }, num(r.msPerRequest)),
                  h('td', { className: 'num' }, usd(r.costPerRequest)),
                  h(
                    'td',
                    {
                      className: 'num',
                      title: w.routeParts(usd(r.costPerMillion.dynamodb), usd(r.costPerMillion.lambda), usd(r.costPerMillion.trigger)),
                    },
                    usd(r.costPerMillion.total),
                  ),
                ),
              ),
            ),
          ),
        ),
    h(
      'p',
      { className: 'actions' },
      downloadButton(token, w.costsCsv, `/v1/reports/costs?${window}&format=csv`, `loyalty-costs-${chosen.from}-${chosen.to}.csv`, status),
    ),
    status,
  );
  const floor = c.fixedMonthly;
  const fixed = floor
    ? h(
        'section',
        { className: 'card' },
        h('h3', {}, w.fixedMonthly),
        cards(
          h(
            'table',
            { 'data-testid': 'cost-fixed' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                w.fixedHead.map((t) => h('th', {}, t)),
              ),
            ),
            h(
              'tbody',
              {},
              (floor.items as any[]).map((i) =>
                h(
                  'tr',
                  { 'data-resource': i.resource, title: w.fixedNote(i) },
                  h('td', {}, w.fixedResources[i.resource as keyof typeof w.fixedResources] ?? i.resource),
                  h('td', { className: 'num' }, num(i.count)),
                  h('td', { className: 'num' }, usdIn(i.unitPrice)),
                  h('td', { className: 'num' }, usdIn(i.monthly)),
                ),
              ),
              h(
                'tr',
                { 'data-resource': 'total' },
                h('td', {}, w.total),
                h('td', {}, ''),
                h('td', {}, ''),
                h('td', { className: 'num' }, usdIn(floor.total)),
              ),
            ),
          ),
        ),
        // What the two floors finance compares mean, in words beside their figures.
        h('p', { className: 'muted', 'data-testid': 'cost-idle' }, w.fixedIdle(usdIn(floor.idle))),
        h('p', { className: 'muted', 'data-testid': 'cost-idle-free-tier' }, w.fixedIdleInFreeTier(usdIn(floor.idleInFreeTier))),
      )
    : null;
  mount(el, head, services, ...(fixed ? [fixed] : []), ...(c.billed ? [billedCard(c.billed)] : []), table);
}

/** On AWS: what AWS billed the stack for the same days, per service, beside the modelled figure. */
function billedCard(b: any): HTMLElement {
  return h(
    'section',
    { className: 'card', 'data-testid': 'cost-billed' },
    h('h3', {}, w.billedTitle),
    b.available
      ? h('p', { className: 'muted' }, w.billedSummary(usd(b.total), usd(b.modelled), usd(b.difference)))
      : message(w.billedUnavailable(b.reason ?? '?'), 'error'),
    b.available
      ? cards(
          h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                w.billedHead.map((t) => h('th', {}, t)),
              ),
            ),
            h(
              'tbody',
              {},
              (b.services as any[]).map((s) =>
                h('tr', { 'data-service': s.service }, h('td', { dir: 'ltr' }, s.service), h('td', { className: 'num' }, usd(s.amount))),
              ),
            ),
          ),
        )
      : null,
  );
}
