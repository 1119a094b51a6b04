/**
 * Reports: the summary, the series and their CSV, from the day counters the
 * stream processor keeps (never a scan). docs/reports.md defines every figure.
 */
import { DomainError } from '../domain/errors';
import { formatDecimal, parseDecimal } from '../domain/money';
import {
  addDays,
  bucketCount,
  buckets,
  formatMoneyUnits,
  ratio,
  reportFigures,
  type DayCounters,
  type Interval,
  type ReportFigures,
  type ReportWindow,
} from '../domain/report-figures';
import { displayUnitOf } from '../domain/currency';
import type { ClubDeps } from './deps';
import { challengesOf } from '../domain/challenges';
import type { Program } from '../domain/program';
import { CSV_BOM, safeCell } from '../csv';

/** A series over more buckets than this is refused (ask for a coarser interval). */
export const MAX_BUCKETS = 1000;
const DEFAULT_DAYS = 30;

export interface ReportSettings {
  /** Money per point, decimal string. */
  readonly pointValue: string;
  /** The program's chosen display unit, if any. */
  readonly displayCurrency?: string;
}

/** points × value, exact, as a decimal string (negative when the club is owed points). */
export function pointsValue(points: number, pointValue: string): string {
  const v = parseDecimal(pointValue) ?? { units: 0n, scale: 0 };
  const scale = Math.max(v.scale, 2);
  const units = v.units * 10n ** BigInt(scale - v.scale) * BigInt(Math.abs(points));
  const text = formatDecimal({ units, scale });
  return points < 0 && units !== 0n ? `-${text}` : text;
}

export function reportWindow(from: string | undefined, to: string | undefined, now: Date): ReportWindow {
  const last = to ?? now.toISOString().slice(0, 10);
  const first = from ?? addDays(last, -(DEFAULT_DAYS - 1));
  if (first > last) {
    throw new DomainError('VALIDATION_FAILED', 'the query is not valid', [{ path: 'query.from', message: 'from is after to' }]);
  }
  return { from: first, to: last };
}

/** The view of one window's figures, money formatted in the program currency, which it names, with the unit pages show it in. */
export function figuresView(f: ReportFigures, currency: string, settings: ReportSettings) {
  const { revenueUnits, repeatRevenueUnits, ...rest } = f;
  return {
    from: rest.from,
    to: rest.to,
    currency,
    ...displayUnitOf({ currency, displayCurrency: settings.displayCurrency }),
    members: rest.members,
    newMembers: rest.newMembers,
    profilesComplete: rest.profilesComplete,
    profileCompleteRate: rest.profileCompleteRate,
    smsConsent: rest.smsConsent,
    smsConsentRate: rest.smsConsentRate,
    emailConsent: rest.emailConsent,
    emailConsentRate: rest.emailConsentRate,
    offersConsent: rest.offersConsent,
    offersConsentRate: rest.offersConsentRate,
    activeMembers: rest.activeMembers,
    repeatBuyers: rest.repeatBuyers,
    newBuyers: rest.newBuyers,
    orders: rest.orders,
    repeatOrders: rest.repeatOrders,
    pointsIssued: rest.pointsIssued,
    pointsRedeemed: rest.pointsRedeemed,
    pointsExpired: rest.pointsExpired,
    pointsReversed: rest.pointsReversed,
    pointsAdjusted: rest.pointsAdjusted,
    pointsOutstanding: rest.pointsOutstanding,
    pointsPending: rest.pointsPending,
    pointValue: settings.pointValue,
    outstandingValue: pointsValue(rest.pointsOutstanding, settings.pointValue),
    redemptionRate: rest.redemptionRate,
    repeatPurchaseRate: rest.repeatPurchaseRate,
    revenue: formatMoneyUnits(revenueUnits),
    repeatRevenue: formatMoneyUnits(repeatRevenueUnits),
    rewardsValue: pointsValue(rest.pointsRedeemed, settings.pointValue),
    exact: rest.exact,
  };
}

async function counters(deps: ClubDeps, to: string): Promise<Map<string, DayCounters>> {
  return deps.reports.daysUpTo(to);
}

/**
 * Per challenge: the program's challenges in its order (zeros when nobody played
 * in the window), then any removed since that still have figures in it, by id.
 */
export function challengesView(figures: ReportFigures['challenges'], program: Pick<Program, 'challenges'>) {
  const current = challengesOf(program);
  const removed = Object.keys(figures)
    .filter((id) => !current.some((c) => c.id === id))
    .sort();
  return [...current.map((c) => ({ id: c.id, name: c.name })), ...removed.map((id) => ({ id, name: null }))].map(({ id, name }) => {
    const f = figures[id] ?? { participants: 0, completions: 0, points: 0 };
    return { id, name, ...f, completionRate: ratio(f.completions, f.participants) };
  });
}

export async function reportSummary(deps: ClubDeps, window: ReportWindow, settings: ReportSettings) {
  const [days, program] = await Promise.all([counters(deps, window.to), deps.program()]);
  const figures = reportFigures(days, window);
  return { ...figuresView(figures, program.currency, settings), challenges: challengesView(figures.challenges, program) };
}

export async function reportSeries(deps: ClubDeps, window: ReportWindow, interval: Interval, settings: ReportSettings) {
  // Counted, not built: the list of a century of days is what must not be made.
  const count = bucketCount(window, interval);
  if (count > MAX_BUCKETS) {
    throw new DomainError('VALIDATION_FAILED', 'the query is not valid', [
      { path: 'query.interval', message: `${count} buckets; at most ${MAX_BUCKETS}: use a coarser interval or a shorter range` },
    ]);
  }
  const parts = buckets(window, interval);
  // One read of the counters serves every bucket.
  const [days, program] = await Promise.all([counters(deps, window.to), deps.program()]);
  return {
    currency: program.currency,
    ...displayUnitOf({ currency: program.currency, displayCurrency: settings.displayCurrency }),
    items: parts.map((b) => figuresView(reportFigures(days, b), program.currency, settings)),
  };
}

const csvCell = (v: unknown) => {
  const s = safeCell(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Rows as CSV with a header line (RFC 4180, CRLF), safe to open in a spreadsheet (shared/csv.ts). */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return `${CSV_BOM + [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\r\n')}\r\n`;
}
