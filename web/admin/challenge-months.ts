/** Which challenges the campaign calendar lists under a month: a pure rule, without the DOM (unit-tested). */

interface CalendarChallenge {
  readonly period?: { readonly repeat?: string; readonly from?: string; readonly to?: string };
}

/**
 * The program's challenges running in a month (its first and last day, yyyy-mm-dd): a
 * dated one whose days meet the month's, a repeating one (monthly or weekly) in every month.
 */
export function challengesIn<T extends CalendarChallenge>(challenges: readonly T[], month: { start: string; end: string }): T[] {
  return challenges.filter((x) => {
    const p = x.period;
    if (p?.repeat !== undefined) return true;
    return p?.from !== undefined && p.to !== undefined && p.from <= month.end && p.to >= month.start;
  });
}
