/**
 * What an earn costs for the members a store really has, not only the best case:
 * a new member's first earn, a same-day repeat, a returning member on another
 * day, and a member with 24 months of history (a member item past 1 KB costs
 * more write units: 2 WRU per item-KB in a transaction). Each case's earns are
 * priced from the lines they wrote to the club's cost log (DynamoDB units by
 * AWS's rule, the measured duration and log bytes), with and without an X-Ray
 * trace. `npm run bench -- --only earn-mix`; docs/costs.md.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { RunningClub } from '../local/club';
import { readConfig } from '../shared/config';
import { memberKey } from '../shared/store/keys';
import { wiring } from '../shared/wiring';
import type { LoggedUsage } from '../shared/costs/cost-log';
import { PRICES } from '../shared/costs/prices';
import { costRoute } from '../shared/costs/record';
import { costOf } from '../shared/costs/request-cost';
import { clubPost } from './club-post';
import { costLogOffset, costLogSince } from './costs';

export type EarnCase = 'new member, first earn' | 'same-day repeat' | 'returning, another day' | '24 months of history';

/**
 * The mix's weights: a store's orders by who places them. Assumed (a typical
 * store's repeat-purchase pattern, not measured): a fifth are a customer's first
 * order, a tenth a second order the same day, half a returning customer, a fifth
 * a long-standing member with two years of orders.
 */
export const MIX_WEIGHTS: Readonly<Record<EarnCase, number>> = {
  'new member, first earn': 0.2,
  'same-day repeat': 0.1,
  'returning, another day': 0.5,
  '24 months of history': 0.2,
};

export interface EarnCaseFigures {
  readonly case: EarnCase | 'weighted mix';
  readonly earns: number;
  readonly rru: number;
  /** Write units by AWS's rule for transactions. */
  readonly wru: number;
  readonly ms: number;
  readonly logBytes: number;
  /** The member item's size after the earn, by DynamoDB's rules (storedItemBytes). */
  readonly memberBytes: number;
  /** USD per million earns, without and with an X-Ray trace of each. */
  readonly perMillion: number;
  readonly perMillionTraced: number;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const DAY = 86_400_000;

/**
 * An item's size by DynamoDB's rules (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * attribute names and strings by their UTF-8 bytes, a number about 1 byte per 2 significant
 * digits (leading and trailing zeros trimmed) plus 1, a boolean or null 1, a list or map 3 bytes plus 1 per element.
 */
export function itemBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number')
    return (
      Math.ceil(
        String(Math.abs(value))
          .replace(/[.-]|e.*$/g, '')
          .replace(/^0+|0+$/g, '').length / 2,
      ) + 1
    );
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((s: number, v) => s + 1 + itemBytes(v), 0);
  if (value instanceof Set) return [...value].reduce((s: number, v) => s + itemBytes(v), 0);
  return 3 + Object.entries(value as object).reduce((s, [k, v]) => s + 1 + Buffer.byteLength(k) + itemBytes(v), 0);
}

/** A whole item: its attributes' names and values (no map overhead at the top level). */
export const storedItemBytes = (item: Record<string, unknown>) =>
  Object.entries(item).reduce((s, [k, v]) => s + Buffer.byteLength(k) + itemBytes(v), 0);

/** An earn's cost line with the member item's size: the meter takes an Update as one item of at most 1 KB. */
export interface MeasuredEarn extends LoggedUsage {
  readonly memberBytes: number;
}

/**
 * The write units AWS bills for the member item's Update in the earn's transaction:
 * 2 per KB of the item (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html),
 * where the meter, not seeing the stored size, counted 2. What a long history adds.
 */
export const memberItemExtraWru = (memberBytes: number) => 2 * (Math.max(1, Math.ceil(memberBytes / 1024)) - 1);

export function caseFigures(name: EarnCaseFigures['case'], earns: readonly MeasuredEarn[]): EarnCaseFigures {
  const lines = earns.map((e) => ({ ...e, wruAws: (e.wruAws ?? e.wru) + memberItemExtraWru(e.memberBytes) }));
  const n = lines.length || 1;
  const avg = (f: (l: MeasuredEarn) => number) => lines.reduce((s, l) => s + f(l), 0) / n;
  return {
    case: name,
    earns: lines.length,
    rru: round(avg((l) => l.rru)),
    wru: round(avg((l) => (l.wruAws ?? l.wru) + (l.wruCancelled ?? 0))),
    ms: round(
      avg((l) => l.durationMs),
      1,
    ),
    logBytes: Math.round(avg((l) => l.logBytes ?? 0)),
    memberBytes: Math.round(avg((l) => l.memberBytes)),
    perMillion: round(avg((l) => costOf({ ...l, traced: false }, PRICES).total) * 1e6),
    perMillionTraced: round(avg((l) => costOf({ ...l, traced: true }, PRICES).total) * 1e6),
  };
}

/** The weighted mix of the cases' figures (weights: MIX_WEIGHTS). */
export function weightedMix(cases: readonly EarnCaseFigures[]): EarnCaseFigures {
  const w = (c: EarnCaseFigures) => MIX_WEIGHTS[c.case as EarnCase] ?? 0;
  const sum = (f: (c: EarnCaseFigures) => number) => cases.reduce((s, c) => s + w(c) * f(c), 0);
  return {
    case: 'weighted mix',
    earns: cases.reduce((s, c) => s + c.earns, 0),
    rru: round(sum((c) => c.rru)),
    wru: round(sum((c) => c.wru)),
    ms: round(
      sum((c) => c.ms),
      1,
    ),
    logBytes: Math.round(sum((c) => c.logBytes)),
    memberBytes: Math.round(sum((c) => c.memberBytes)),
    perMillion: round(sum((c) => c.perMillion)),
    perMillionTraced: round(sum((c) => c.perMillionTraced)),
  };
}

/**
 * The stream processor's share (docs/events.md): after the request, it adds each committed
 * change's report counters (a marker per change and the day's counter item, one
 * transaction) and publishes its events. Measured over the whole run, per change it
 * counted (each earn and each enrolment), at the batch sizes the run's stream gave it.
 */
export interface StreamShare {
  readonly invocations: number;
  readonly changes: number;
  /** Stream records per invocation (each change writes 1–3 items, each a record). */
  readonly recordsPerInvocation: number;
  readonly wruPerChange: number;
  readonly msPerInvocation: number;
  /** USD per million changes counted, without tracing. */
  readonly perMillion: number;
}

export function streamShare(lines: readonly LoggedUsage[], changes: number): StreamShare {
  const mine = lines.filter((l) => l.route === costRoute('dynamodb-stream', 'stream-processor'));
  const per = (total: number) => (changes === 0 ? 0 : total / changes);
  return {
    invocations: mine.length,
    changes,
    recordsPerInvocation: round(mine.reduce((s, l) => s + (l.records ?? 1), 0) / (mine.length || 1), 1),
    wruPerChange: round(per(mine.reduce((s, l) => s + (l.wruAws ?? l.wru) + (l.wruCancelled ?? 0), 0))),
    msPerInvocation: round(mine.reduce((s, l) => s + l.durationMs, 0) / (mine.length || 1), 1),
    perMillion: round(per(mine.reduce((s, l) => s + costOf({ ...l, traced: false }, PRICES).total, 0)) * 1e6),
  };
}

export async function measureEarnMix(club: RunningClub, n: number): Promise<{ cases: EarnCaseFigures[]; stream: StreamShare }> {
  const start = costLogOffset(club.costsFile);
  const posting = clubPost(club);
  let changes = 0;
  const post: typeof posting = async (...args) => {
    changes++;
    return posting(...args);
  };
  const earn = (memberId: string, orderId: string, occurredAt?: string) =>
    post('/v1/earn', { memberId, orderId, amount: '120.00', currency: 'USD', ...(occurredAt && { occurredAt }) }, 200);
  /** The earn's own line in the cost log (the notifier's invocations are lines of their own). */
  const measured = async (memberId: string, fn: () => Promise<void>): Promise<MeasuredEarn> => {
    const from = costLogOffset(club.costsFile);
    await fn();
    const line = costLogSince(club.costsFile, from).find((l) => l.route === 'POST /v1/earn');
    if (!line) throw new Error('no cost line for the earn');
    const { Item } = await wiring().db.send(new GetCommand({ TableName: readConfig().tableName, Key: memberKey(memberId) }));
    return { ...line, memberBytes: storedItemBytes(Item ?? {}) };
  };

  const run = Date.now().toString(36);
  const now = Date.now();
  const lines: Record<EarnCase, MeasuredEarn[]> = {
    'new member, first earn': [],
    'same-day repeat': [],
    'returning, another day': [],
    '24 months of history': [],
  };
  for (let i = 0; i < n; i++) {
    const fresh = `mix-${run}-new-${i}`;
    await post('/v1/members', { memberId: fresh, email: `${fresh}@example.com` }, 201);
    lines['new member, first earn'].push(await measured(fresh, () => earn(fresh, `${fresh}-o1`)));
    lines['same-day repeat'].push(await measured(fresh, () => earn(fresh, `${fresh}-o2`)));

    // Last bought yesterday: today's earn is a return on another day.
    const back = `mix-${run}-back-${i}`;
    await post('/v1/members', { memberId: back, email: `${back}@example.com` }, 201);
    await earn(back, `${back}-o1`, new Date(now - DAY).toISOString());
    lines['returning, another day'].push(await measured(back, () => earn(back, `${back}-o2`)));

    // An order a month for two years, then today's.
    const old = `mix-${run}-old-${i}`;
    await post('/v1/members', { memberId: old, email: `${old}@example.com` }, 201);
    for (let m = 24; m >= 1; m--) await earn(old, `${old}-m${m}`, new Date(now - m * 30 * DAY).toISOString());
    lines['24 months of history'].push(await measured(old, () => earn(old, `${old}-today`)));
  }
  const cases = (Object.keys(lines) as EarnCase[]).map((c) => caseFigures(c, lines[c]));
  await club.drained();
  return { cases: [...cases, weightedMix(cases)], stream: streamShare(costLogSince(club.costsFile, start), changes) };
}
