/**
 * `loyalty costs estimate`: the monthly bill before deploying. Parses the flags
 * and prints; the arithmetic is shared/costs/estimate.ts. Needs no club.
 */
import { parseArgs } from 'node:util';
import { estimateMonthlyBill, type MonthlyBill } from '../shared/costs/estimate';
import { PRICES } from '../shared/costs/prices';

export const COSTS_HELP = `loyalty costs estimate: the monthly bill of a store, before deploying (docs/costs.md)

Usage: loyalty costs estimate --orders-per-month N --members N [options]

  --orders-per-month N   orders the store takes a month (each one an earn)
  --members N            club members
  --webhook-share S      share of the orders that arrive as store webhooks, 0 to 1 (default 0.8)
  --stage <name>         the stage to deploy (default prod: X-Ray tracing off; any other stage traces)
  --rate R               program currency per USD: the bill in the program's currency as well

Exit status: 0 printed; 2 bad flags.
`;

const OPTIONS = {
  'orders-per-month': { type: 'string' },
  members: { type: 'string' },
  'webhook-share': { type: 'string' },
  stage: { type: 'string' },
  rate: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class FlagError extends Error {}

function count(value: string | undefined, name: string): number {
  if (value === undefined) throw new FlagError(`--${name} is required`);
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new FlagError(`--${name} must be a whole number ≥ 0 (got ${value})`);
  return n;
}

function parse(argv: string[]) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new FlagError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help' as const;
  if (positionals.join(' ') !== 'estimate') throw new FlagError(`unknown command "costs ${positionals.join(' ')}"`);
  const share = values['webhook-share'] === undefined ? 0.8 : Number(values['webhook-share']);
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new FlagError(`--webhook-share must be a number from 0 to 1 (got ${values['webhook-share']})`);
  const stage = values.stage ?? 'prod';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) throw new FlagError(`--stage must be a stage name such as prod or dev (got ${stage})`);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && (!Number.isFinite(rate) || rate <= 0))
    throw new FlagError(`--rate must be a number above 0 (got ${values.rate})`);
  return {
    workload: {
      ordersPerMonth: count(values['orders-per-month'], 'orders-per-month'),
      members: count(values.members, 'members'),
      webhookShare: share,
      stage,
    },
    rate,
  };
}

const fmt = (usd: number, digits = 2) => usd.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const num = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumSignificantDigits: 4 }));

/** The bill as text: a row per line, USD and (with a rate) the program currency. */
export function formatBill(bill: MonthlyBill, rate?: number): string {
  const w = bill.workload;
  const money = (usd: number) => `$${fmt(usd)}`.padStart(10) + (rate ? fmt(usd * rate, 0).padStart(16) : '');
  const row = (name: string, qty: string, usd: number, note: string) =>
    `  ${name.padEnd(20)}${qty.padStart(28)}${money(usd)}  ${note}`.trimEnd();
  const lines = [
    `Monthly bill: ${num(w.ordersPerMonth)} orders (${Math.round(w.webhookShare * 100)}% via webhooks), ${num(w.members)} members, stage ${w.stage}`,
    `AWS list prices of ${bill.pricesAsOf} (us-east-1, on-demand, no free tier), USD${rate ? `; program currency at ${rate} per USD` : ''}`,
    '',
    `${'USD'.padStart(60)}${rate ? '  program currency' : ''}`,
    'Fixed (every month, before any request):',
    ...bill.fixed.items.map((i) => row(i.resource, `${num(i.count)} × $${i.unitPrice}`, i.monthly, i.note)),
    row('fixed total', '', bill.fixed.total, ''),
    '',
    'Per request:',
    ...bill.perRequest.map((l) => row(l.line, `${num(l.count)} ${l.unit} × $${l.unitPrice.toPrecision(3)}`, l.monthly, l.note)),
    row('per-request total', '', bill.perRequestTotal, ''),
    '',
    row('TOTAL a month', '', bill.total, ''),
  ];
  return `${lines.join('\n')}\n`;
}

/** `loyalty costs …`: the exit status. */
export function costsCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  try {
    const parsed = parse(argv);
    if (parsed === 'help') {
      out(COSTS_HELP);
      return 0;
    }
    out(formatBill(estimateMonthlyBill(parsed.workload, PRICES), parsed.rate));
    return 0;
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    err(`loyalty costs: ${e.message}\nRun \`loyalty costs estimate --help\` for the flags.\n`);
    return 1;
  }
}
