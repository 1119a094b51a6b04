/**
 * What the automations do and when: reminder lead time, re-engagement stages,
 * the welcome, quiet hours: the program's `automation` field (validated by its
 * schema) over the defaults below. Pure data, no I/O.
 */
export interface ReengageStage {
  /** Stable name, part of the once-per-lapse record: renaming a stage re-sends it. */
  readonly stage: string;
  /** Days since the last purchase after which the stage's offer goes out. */
  readonly afterDays: number;
  /** Bonus points attached to the offer (0: none). */
  readonly bonusPoints: number;
}

export interface QuietHours {
  /** Local hour (0-23) quiet time starts, in the program's time zone. */
  readonly startHour: number;
  /** Local hour (0-23) it ends; may be smaller than startHour (overnight). */
  readonly endHour: number;
}

export interface AutomationSettings {
  /** IANA zone the schedules and quiet hours follow. */
  readonly timeZone: string;
  /** Local hour the daily jobs run. */
  readonly runAtHour: number;
  /** Members are told this many days before points expire. */
  readonly expiryReminderDays: number;
  /**
   * How many months back expire-points looks for due lots. Lots normally become
   * due in the month they expire; the look-back catches orders reported late and
   * runs missed while the club was down, without ever scanning.
   */
  readonly expiryLookbackMonths: number;
  /** Ascending afterDays. */
  readonly reengageStages: readonly ReengageStage[];
  /**
   * A lapse is acted on within this many days of crossing a stage's threshold.
   * Keeps each run's queries bounded and stops a newly switched-on club from
   * messaging every customer who ever lapsed.
   */
  readonly catchUpDays: number;
  readonly welcome: { readonly enabled: boolean; readonly bonusPoints: number };
  readonly quietHours?: QuietHours;
  /** Language of messages to members who haven't chosen one. */
  readonly defaultLanguage: 'fa' | 'en';
}

export const DEFAULT_AUTOMATION_SETTINGS: AutomationSettings = {
  timeZone: 'UTC',
  runAtHour: 3,
  expiryReminderDays: 30,
  expiryLookbackMonths: 24,
  reengageStages: [
    { stage: 'lapsed-45', afterDays: 45, bonusPoints: 0 },
    { stage: 'lapsed-90', afterDays: 90, bonusPoints: 0 },
  ],
  catchUpDays: 7,
  welcome: { enabled: true, bonusPoints: 0 },
  quietHours: { startHour: 21, endHour: 9 },
  defaultLanguage: 'en',
};

/** The program document's `automation` defaults: the same, less the time zone (the program's own). */
export const PROGRAM_AUTOMATION_DEFAULTS = (({ timeZone: _tz, quietHours, ...rest }) => ({ ...rest, quietHours: quietHours ?? null }))(
  DEFAULT_AUTOMATION_SETTINGS,
);

/** Defaults overlaid with what a program says; invalid values are refused, not guessed. */
export function automationSettings(overrides: Partial<AutomationSettings> = {}): AutomationSettings {
  const s = { ...DEFAULT_AUTOMATION_SETTINGS, ...overrides };
  const intIn = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  const problems: string[] = [];
  if (!intIn(s.runAtHour, 0, 23)) problems.push('runAtHour must be 0-23');
  if (!intIn(s.expiryReminderDays, 1, 365)) problems.push('expiryReminderDays must be 1-365');
  if (!intIn(s.expiryLookbackMonths, 0, 240)) problems.push('expiryLookbackMonths must be 0-240');
  if (!intIn(s.catchUpDays, 1, 60)) problems.push('catchUpDays must be 1-60');
  const days = s.reengageStages.map((st) => st.afterDays);
  if (days.some((d, i) => !intIn(d, 1, 3650) || (i > 0 && d <= days[i - 1]!)))
    problems.push('reengageStages need ascending afterDays of 1-3650');
  if (new Set(s.reengageStages.map((st) => st.stage)).size !== s.reengageStages.length)
    problems.push('reengage stage names must be unique');
  if (s.quietHours && (!intIn(s.quietHours.startHour, 0, 23) || !intIn(s.quietHours.endHour, 0, 23)))
    problems.push('quietHours hours must be 0-23');
  try {
    new Intl.DateTimeFormat('en', { timeZone: s.timeZone });
  } catch {
    problems.push(`unknown time zone ${s.timeZone}`);
  }
  if (problems.length) throw new RangeError(`automation settings: ${problems.join('; ')}`);
  return s;
}
