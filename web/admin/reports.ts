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
import { formatMoney, formatNumber } from '../common/format';
import { bucketLabel, formatRate, formatUsd, intervalFor, periodRange, ratio, type Interval, type Period, type ReportRange } from '../common/report-format';
import { lineChart } from './charts';
import { errorText, message } from './ui';

const num = (n: number) => formatNumber(n, 'en');
const today = () => new Date().toISOString().slice(0, 10);

/** The chosen period, kept while staff move between tabs. */
let chosen: { period: Period } & ReportRange = { period: '30d', ...periodRange('30d', today()) };

const PERIODS: [Period, string][] = [
  ['30d', 'Last 30 days'],
  ['90d', 'Last 90 days'],
  ['12m', 'Last 12 months'],
  ['custom', 'From – to'],
];

function periodForm(withInterval: boolean, load: () => void): HTMLElement {
  const period = h('select', { name: 'period', 'aria-label': 'period' }, PERIODS.map(([v, label]) => h('option', { value: v, selected: v === chosen.period }, label)));
  const from = h('input', { type: 'date', name: 'from', 'aria-label': 'from', value: chosen.from, required: true });
  const to = h('input', { type: 'date', name: 'to', 'aria-label': 'to', value: chosen.to, required: true });
  const interval = h('select', { name: 'interval', 'aria-label': 'interval' }, (['day', 'week', 'month'] as const).map((v) => h('option', { value: v, selected: v === chosen.interval }, `by ${v}`)));
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
    h('button', { type: 'submit' }, 'Show'),
  );
}

const figure = (key: string, label: string, value: string, hint?: string) =>
  h('div', { className: 'figure', 'data-figure': key }, h('span', { className: 'label' }, label), h('strong', {}, value), hint ? h('small', { className: 'muted' }, hint) : null);

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
  if (unavailable(summary.status)) return mount(el, message('Reports are not available on this club yet.', 'error'));
  if (summary.status !== 200) return mount(el, message(errorText(summary), 'error'));
  const r = summary.body;
  const money = (amount: string) => formatMoney(amount, r.currency, 'en');
  const status = h('div', {});

  const figures = h(
    'section',
    { className: 'card', 'data-testid': 'reports' },
    h('h2', {}, `${from} – ${to}`),
    h(
      'div',
      { className: 'figures' },
      figure('members', 'Members', num(r.members), `${num(r.newMembers)} new`),
      figure('activeMembers', 'Active members', num(r.activeMembers), 'ordered in the period'),
      figure('orders', 'Orders', num(r.orders), `${num(r.repeatOrders)} repeat`),
      figure('repeatPurchaseRate', 'Repeat purchase rate', formatRate(r.repeatPurchaseRate), `${num(r.repeatBuyers)} repeat buyers`),
      figure('pointsIssued', 'Points issued', num(r.pointsIssued)),
      figure('pointsRedeemed', 'Points redeemed', num(r.pointsRedeemed)),
      figure('pointsExpired', 'Points expired', num(r.pointsExpired)),
      figure('redemptionRate', 'Redemption rate', formatRate(r.redemptionRate)),
      figure('pointsOutstanding', 'Points outstanding', num(r.pointsOutstanding), `${num(r.pointsPending)} pending`),
      figure('outstandingValue', 'Liability', money(r.outstandingValue), `at ${r.pointValue} ${r.currency} a point`),
    ),
    r.exact === false ? h('p', { className: 'muted' }, 'Repeat buyers are approximate for this window (see docs/reports.md): start it on the 1st for exact figures.') : null,
  );

  const runningCost = costs.status === 200 && costs.body.source === 'local-log' ? formatUsd(costs.body.totalCost) : 'see the CloudWatch dashboard';
  const perReward = ratio(r.repeatRevenue, r.rewardsValue);
  const roi = h(
    'section',
    { className: 'card', 'data-testid': 'roi' },
    h('h2', {}, 'Return on the club'),
    h(
      'div',
      { className: 'figures' },
      figure('revenue', "Members' revenue", money(r.revenue)),
      figure('repeatRevenue', 'Repeat revenue', money(r.repeatRevenue), 'orders from returning members'),
      figure('rewardsValue', 'Rewards given', money(r.rewardsValue), 'points redeemed × point value'),
      figure('repeatPerReward', 'Repeat revenue per 1 of rewards', perReward === null ? '—' : `${perReward.toFixed(2)}×`),
      figure('runningCost', 'Running cost (USD)', runningCost, 'Costs tab'),
    ),
  );

  const items: any[] = series.status === 200 ? series.body.items : [];
  const labels = items.map((i) => bucketLabel(i.from, interval));
  const col = (m: (typeof CHARTED)[number]) => items.map((i) => Number(i[m]));
  const charts = h(
    'section',
    { className: 'card charts', 'data-testid': 'charts' },
    h('h2', {}, `By ${interval}`),
    series.status !== 200
      ? message(errorText(series), 'error')
      : [
          lineChart('Points', [{ name: 'issued', values: col('pointsIssued') }, { name: 'redeemed', values: col('pointsRedeemed') }, { name: 'expired', values: col('pointsExpired') }], labels, num, true),
          lineChart('Active members', [{ name: 'active', values: col('activeMembers') }], labels, num, true),
          lineChart('Repeat purchase rate', [{ name: 'repeat purchase rate', values: col('repeatPurchaseRate') }], labels, formatRate),
        ],
  );

  const downloads = h(
    'section',
    { className: 'card' },
    h('h3', {}, 'CSV'),
    h(
      'p',
      { className: 'actions' },
      downloadButton(token, 'Download summary CSV', `/v1/reports/summary?${window}&format=csv`, `loyalty-summary-${from}-${to}.csv`, status),
      ' ',
      downloadButton(token, 'Download series CSV', `/v1/reports/series?${window}&interval=${interval}&format=csv`, `loyalty-series-${interval}-${from}-${to}.csv`, status),
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
  if (unavailable(res.status)) return mount(el, message('The cost report is not available on this club yet.', 'error'));
  if (res.status !== 200) return mount(el, message(errorText(res), 'error'));
  const c = res.body;
  const status = h('div', {});
  const head = h(
    'section',
    { className: 'card', 'data-testid': 'costs' },
    h('h2', {}, `Cost per request, ${c.from} – ${c.to}`),
    h('p', { className: 'muted', 'data-testid': 'prices' }, `List prices as of ${c.prices?.asOf ?? '?'} (${c.prices?.region ?? '?'}, ${c.prices?.currency ?? 'USD'}, on demand, no free tier).`),
    c.note ? message(c.note) : null,
    h(
      'div',
      { className: 'figures' },
      figure('requests', 'Requests', num(c.requests)),
      figure('totalCost', 'Total', formatUsd(c.totalCost)),
      figure('costPer1000Orders', 'Per 1,000 orders', formatUsd(c.costPer1000Orders), `${num(c.orders)} orders`),
      figure('costPerMemberPerMonth', 'Per member per month', formatUsd(c.costPerMemberPerMonth), `${num(c.members)} members`),
      figure('costPer1000Deliveries', 'Per 1,000 webhook deliveries', formatUsd(c.webhooks?.costPer1000Deliveries), `${num(c.webhooks?.deliveries ?? 0)} deliveries`),
    ),
  );
  const total = c.byService?.total ?? 0;
  const services = h(
    'section',
    { className: 'card' },
    h('h3', {}, 'By service'),
    h(
      'table',
      { 'data-testid': 'cost-services' },
      h('thead', {}, h('tr', {}, ['Service', 'Cost', 'Share', 'Of it webhook deliveries'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        SERVICES.map(([key, name]) =>
          h(
            'tr',
            { 'data-service': key },
            h('td', {}, name),
            h('td', { className: 'num' }, formatUsd(c.byService?.[key])),
            h('td', { className: 'num' }, total > 0 ? formatRate(c.byService[key] / total) : '—'),
            h('td', { className: 'num' }, formatUsd(c.webhooks?.byService?.[key])),
          ),
        ),
      ),
    ),
  );
  const routes: any[] = c.routes ?? [];
  const table = h(
    'section',
    { className: 'card' },
    h('h3', {}, 'By route'),
    routes.length === 0
      ? h('p', { className: 'muted' }, 'No requests recorded in this period.')
      : h(
          'table',
          { 'data-testid': 'cost-routes' },
          h('thead', {}, h('tr', {}, ['Route', 'Requests', 'RRU / req', 'WRU / req', 'ms / req', 'Cost / request', 'Per 1M requests'].map((t) => h('th', {}, t)))),
          h(
            'tbody',
            {},
            routes.map((r) =>
              h(
                'tr',
                { 'data-route': r.route },
                h('td', {}, r.route),
                h('td', { className: 'num' }, num(r.requests)),
                h('td', { className: 'num' }, num(r.rruPerRequest)),
                h('td', { className: 'num' }, num(r.wruPerRequest)),
                h('td', { className: 'num' }, num(r.msPerRequest)),
                h('td', { className: 'num' }, formatUsd(r.costPerRequest)),
                h('td', { className: 'num', title: `DynamoDB ${formatUsd(r.costPerMillion.dynamodb)}, Lambda ${formatUsd(r.costPerMillion.lambda)}, trigger ${formatUsd(r.costPerMillion.trigger)}` }, formatUsd(r.costPerMillion.total)),
              ),
            ),
          ),
        ),
    h('p', { className: 'actions' }, downloadButton(token, 'Download costs CSV', `/v1/reports/costs?${window}&format=csv`, `loyalty-costs-${chosen.from}-${chosen.to}.csv`, status)),
    status,
  );
  mount(el, head, services, table);
}
