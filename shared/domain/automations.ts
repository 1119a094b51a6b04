/**
 * The pure half of the scheduled jobs: which index buckets are due at `asOf`,
 * which of a member's lots to remind about, which lapse stage a member is in,
 * and the program's local clock (schedules, quiet hours). No I/O here.
 */
import type { AutomationSettings, QuietHours, ReengageStage } from './automation-settings';
import type { ExpiringLot, PointsLot } from './lots';

const DAY_MS = 86_400_000;

/** 'yyyy-mm' of an instant, UTC (expiry instants are UTC month ends). */
export const monthOf = (iso: string) => iso.slice(0, 7);
/** 'yyyy-mm-dd' of an instant, UTC. */
export const dayOf = (iso: string) => iso.slice(0, 10);

/** Months from `from` to `to` inclusive, 'yyyy-mm'. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  while (`${y}-${String(m).padStart(2, '0')}` <= to) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export function addMonths(month: string, n: number): string {
  const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/**
 * The expiry buckets expire-points queries: the look-back months up to asOf's
 * month, oldest first. Within each the sort key (`<expiresAt>#<memberId>`)
 * bounds the query to what is due, so members not due cost nothing.
 */
export function dueExpiryMonths(asOf: Date, lookbackMonths: number): string[] {
  const to = monthOf(asOf.toISOString());
  return monthsBetween(addMonths(to, -lookbackMonths), to);
}

/** Reminders: lots expiring after asOf and no later than asOf + days. */
export interface ReminderWindow {
  readonly after: string;
  readonly upTo: string;
  /**
   * Where the index is searched from: a month before `after`, because a member is
   * indexed by its OLDEST lot, which may be overdue (expire-points not run yet)
   * while the next lot is within the window.
   */
  readonly searchFrom: string;
  readonly months: readonly string[];
}

export function reminderWindow(asOf: Date, days: number): ReminderWindow {
  const after = asOf.toISOString();
  const upTo = addDays(asOf, days).toISOString();
  const searchFrom = addDays(asOf, -31).toISOString();
  return { after, upTo, searchFrom, months: monthsBetween(monthOf(searchFrom), monthOf(upTo)) };
}

/** Lots expiring in the window; lots that never expire have nothing to remind of. */
export function lotsToRemind(lots: readonly PointsLot[], window: Pick<ReminderWindow, 'after' | 'upTo'>): ExpiringLot[] {
  return lots.filter(
    (l): l is ExpiringLot => l.points > 0 && l.expiresAt !== undefined && l.expiresAt > window.after && l.expiresAt <= window.upTo,
  );
}

/** The last-purchase days a stage acts on at asOf: its threshold day and catchUpDays − 1 before it. */
export function stageDays(asOf: Date, afterDays: number, catchUpDays: number): string[] {
  const days: string[] = [];
  for (let i = 0; i < catchUpDays; i++) days.push(dayOf(addDays(asOf, -(afterDays + i)).toISOString()));
  return days;
}

/** Whole days between the last purchase's day and asOf's day (UTC). */
export function daysSince(lastPurchaseAt: string, asOf: Date): number {
  const from = Date.parse(`${dayOf(lastPurchaseAt)}T00:00:00.000Z`);
  const to = Date.parse(`${dayOf(asOf.toISOString())}T00:00:00.000Z`);
  return Math.round((to - from) / DAY_MS);
}

/**
 * The stage a member is in at asOf: the highest one whose threshold has passed,
 * if it passed no more than catchUpDays ago. Undefined: not lapsed, or lapsed
 * too long ago to act on now.
 */
export function lapseStage(
  lastPurchaseAt: string | undefined,
  asOf: Date,
  settings: Pick<AutomationSettings, 'reengageStages' | 'catchUpDays'>,
): ReengageStage | undefined {
  if (!lastPurchaseAt) return undefined;
  const since = daysSince(lastPurchaseAt, asOf);
  const passed = settings.reengageStages.filter((s) => since >= s.afterDays);
  const stage = passed[passed.length - 1];
  return stage && since < stage.afterDays + settings.catchUpDays ? stage : undefined;
}

/** Local calendar date and hour in a time zone. */
export function localTime(at: Date, timeZone: string): { date: string; hour: number; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), minute: Number(parts.minute) };
}

export function inQuietHours(at: Date, quiet: QuietHours | undefined, timeZone: string): boolean {
  if (!quiet || quiet.startHour === quiet.endHour) return false;
  const { hour } = localTime(at, timeZone);
  return quiet.startHour < quiet.endHour
    ? hour >= quiet.startHour && hour < quiet.endHour
    : hour >= quiet.startHour || hour < quiet.endHour;
}

/** The first whole hour at or after `at` outside quiet hours (the same instant when not quiet). */
export function nextSendTime(at: Date, quiet: QuietHours | undefined, timeZone: string): Date {
  if (!inQuietHours(at, quiet, timeZone)) return at;
  let t = new Date(Math.ceil(at.getTime() / 3_600_000) * 3_600_000);
  for (let i = 0; i < 48 && inQuietHours(t, quiet, timeZone); i++) t = new Date(t.getTime() + 3_600_000);
  return t;
}
