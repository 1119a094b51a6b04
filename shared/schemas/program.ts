/**
 * The store's program: ONE zod schema is the source of truth for what a store
 * may configure, the types the rules engine runs on, the admin API's
 * validation and the OpenAPI reference. Every field has a default, and the
 * defaults are the contract's default program, so a store that never edits
 * its program earns exactly as before. docs/program.md explains each rule.
 */
import * as z from 'zod';
import { Instant, MemberId, Money } from './common';
import { LineItem } from './points';
import { PointsValidity } from './points-validity';
import { PROGRAM_AUTOMATION_DEFAULTS } from '../domain/automation-settings';

/** Decimal text ("1", "1.5", "0.001") parsed exactly later; never a float. */
const DecimalText = (description: string) => Money.meta({ description, example: '1.5' });

const CurrencyCode = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code such as USD or IRR')
  .overwrite((c) => c.toUpperCase());

const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . -, at most 64');
const Tag = z.string().min(1).max(64);
const LocalDate = z.iso.date().meta({ description: 'yyyy-mm-dd in the program time zone', example: '2027-03-21' });
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, 00:00 to 24:00');
const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const PointsCount = z.number().int().nonnegative().safe();

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const EarningRules = z
  .strictObject({
    pointsPerUnit: DecimalText('Points for each whole unit of the program currency (before rounding).').default('1'),
    rounding: z
      .enum(['floor', 'round', 'ceil'])
      .default('floor')
      .meta({ description: 'How the order total is made whole; round is half up.' }),
    minimumOrder: DecimalText('Orders below this amount (in the program currency) earn nothing.').default('0'),
    categoryMultipliers: z.record(z.string().min(1).max(64), DecimalText('multiplier')).default({}),
    skuMultipliers: z.record(z.string().min(1).max(64), DecimalText('multiplier')).default({}),
    maxPointsPerOrder: PointsCount.optional().meta({ description: 'No order earns more than this.' }),
    maxPointsPerDay: PointsCount.optional().meta({
      description: 'No member earns more than this from orders in one day (program time zone).',
    }),
    returnWindowDays: z.number().int().min(0).max(365).default(0).meta({
      description:
        "An order's points stay pending this many days after the order, then a scheduled release makes them spendable; a refund inside the window cancels them.",
    }),
    currencies: z
      .record(CurrencyCode, DecimalText('How many program-currency units one unit of this currency is worth.'))
      .default({})
      .meta({ description: 'Extra currencies accepted at a fixed rate; any other currency is refused with CURRENCY_MISMATCH.' }),
  })
  .default({
    pointsPerUnit: '1',
    rounding: 'floor',
    minimumOrder: '0',
    categoryMultipliers: {},
    skuMultipliers: {},
    returnWindowDays: 0,
    currencies: {},
  });

export const CampaignTarget = z
  .strictObject({
    tiers: z.array(Id).min(1).optional(),
    tags: z.array(Tag).min(1).optional().meta({ description: 'The member has at least one of these tags.' }),
    joinedAfter: Instant.optional(),
    pilotOnly: z.boolean().optional().meta({ description: 'Only members in the pilot group.' }),
  })
  .default({})
  .meta({ description: 'Every given condition must hold; an empty target is every member.' });

export const CampaignEffect = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('multiplier'), multiplier: DecimalText('e.g. "2" for double points') }),
  z.strictObject({ type: z.literal('fixedBonus'), points: PointsCount.positive() }),
  z.strictObject({
    type: z.literal('spendBonus'),
    over: DecimalText('Orders of at least this amount (program currency) get the bonus.'),
    points: PointsCount.positive(),
  }),
]);

export const Campaign = z
  .strictObject({
    id: Id,
    name: z.string().trim().min(1).max(200),
    start: LocalDate,
    end: LocalDate.meta({ description: 'Inclusive.' }),
    daysOfWeek: z.array(Weekday).min(1).optional(),
    hours: z
      .strictObject({ from: ClockTime, to: ClockTime })
      .optional()
      .meta({ description: 'Daily window, from inclusive to exclusive.' }),
    target: CampaignTarget,
    effect: CampaignEffect,
  })
  .superRefine((c, ctx) => {
    if (c.end < c.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'end is before start' });
    if (c.hours && c.hours.to <= c.hours.from) ctx.addIssue({ code: 'custom', path: ['hours', 'to'], message: 'to must be after from' });
  });

/** The most challenges a program runs: each may add a progress item and a reward entry to an order's one transaction (2 × 20 + the order's own few), and DynamoDB takes 100 items. */
export const MAX_CHALLENGES = 20;

const ChallengePeriod = z.union([
  z.strictObject({ from: LocalDate, to: LocalDate.meta({ description: 'Inclusive.' }) }).superRefine((p, ctx) => {
    if (p.to < p.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is before from' });
  }),
  z.strictObject({
    repeat: z.enum(['monthly', 'weekly']).meta({
      description:
        'Starts fresh every month or week in the program time zone. In Asia/Tehran a month is a Jalali month and a week starts on Saturday; elsewhere a calendar month and a week from Monday.',
    }),
  }),
]);

export const ChallengeGoal = z
  .strictObject({
    kind: z.enum(['orders', 'spend', 'category', 'referrals', 'profile']).meta({
      description:
        'orders: paid orders; spend: whole units of the program currency spent; category: spend on lines of `category`; referrals: referred members whose first order paid the referral; profile: the profile completed (target 1).',
    }),
    target: z.number().int().positive().safe(),
    category: z.string().min(1).max(64).optional(),
  })
  .superRefine((g, ctx) => {
    if (g.kind === 'category' && g.category === undefined)
      ctx.addIssue({ code: 'custom', path: ['category'], message: 'a category goal names its category' });
    if (g.kind !== 'category' && g.category !== undefined)
      ctx.addIssue({ code: 'custom', path: ['category'], message: 'only a category goal has a category' });
    if (g.kind === 'profile' && g.target !== 1) ctx.addIssue({ code: 'custom', path: ['target'], message: 'a profile goal has target 1' });
  });

export const Challenge = z.strictObject({
  id: Id,
  name: z.strictObject({ fa: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) }),
  period: ChallengePeriod,
  goal: ChallengeGoal,
  reward: z
    .union([
      z.strictObject({ points: PointsCount.positive() }).meta({ description: 'The points the member gets, once per period.' }),
      z.strictObject({ rewardId: Id }).meta({
        description:
          "A code of this catalog reward, issued free once per period (the catalog's stock, per-member limit, tiers and dates are the redemptions'; a prize is promised by the challenge). Not a tier-up reward.",
      }),
    ])
    .meta({ description: 'What completing the challenge gives, once per period: points, or a catalog reward.' }),
  audience: z
    .strictObject({
      tags: z.array(Tag).min(1).optional().meta({ description: 'The member has at least one of these tags.' }),
      tiers: z.array(Id).min(1).optional(),
      joinedAfter: Instant.optional(),
    })
    .optional()
    .meta({ description: 'Every given condition must hold, as a campaign target; absent: every member.' }),
});

export const TierLevel = z.strictObject({
  id: Id,
  name: z.string().trim().min(1).max(100),
  threshold: PointsCount.meta({
    description: 'Qualifying points (or whole units of spend, by the basis) within the window needed to reach this tier.',
  }),
  multiplier: DecimalText('Earn multiplier for members of this tier.').default('1'),
  perks: z.array(z.string().min(1).max(200)).default([]),
});

export const Tiers = z
  .strictObject({
    basis: z
      .enum(['points', 'spend'])
      .default('points')
      .meta({ description: 'What thresholds count: points earned from orders, or whole units of spend in the program currency.' }),
    windowMonths: z
      .number()
      .int()
      .min(1)
      .max(60)
      .default(12)
      .meta({ description: 'Rolling window of qualifying points or spend, in calendar months.' }),
    graceDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(0)
      .meta({ description: 'Days after the date a tier is kept until before the review may lower it.' }),
    levels: z
      .array(TierLevel)
      .max(20)
      .default([])
      .superRefine((levels, ctx) => {
        levels.forEach((l, i) => {
          if (i > 0 && l.threshold <= levels[i - 1]!.threshold) {
            ctx.addIssue({ code: 'custom', path: [i, 'threshold'], message: 'thresholds must rise from one level to the next' });
          }
          if (levels.findIndex((o) => o.id === l.id) !== i)
            ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate tier id ${l.id}` });
        });
      }),
  })
  .default({ basis: 'points', windowMonths: 12, graceDays: 0, levels: [] });

export const Pilot = z
  .strictObject({
    enabled: z.boolean().default(false).meta({ description: 'When true, only the pilot group earns.' }),
    tags: z.array(Tag).default([]),
    memberIds: z.array(MemberId).max(1000).default([]),
    percent: z.number().int().min(0).max(100).default(0).meta({ description: 'A stable share of members, by a hash of the member id.' }),
    launchesAt: LocalDate.optional().meta({
      description: 'While collecting (a pilot), when the store plans to launch for everyone: the member page says points start then.',
    }),
  })
  .default({ enabled: false, tags: [], memberIds: [], percent: 0 });

export const Enrolment = z
  .strictObject({
    selfService: z.boolean().default(false).meta({
      description:
        'When true, a customer who is not a member joins on the member page: the sign-in code is also sent to a phone or email no member has, and verifying it enrols them (sign-up bonus, pilot gate and referredBy as on POST /v1/members).',
    }),
  })
  .default({ selfService: false });

export const Bonuses = z
  .strictObject({
    signUp: PointsCount.default(0).meta({ description: 'Points when a member enrols.' }),
    firstPurchase: PointsCount.default(0).meta({ description: "Points on the member's first paid order." }),
    birthday: PointsCount.default(0).meta({
      description: "Once a year, on the member's first order (or the birthday run) in their birthday month.",
    }),
    profileCompletion: PointsCount.default(0).meta({ description: 'Once, when email, phone, name and birthday are all known.' }),
    referral: z
      .strictObject({
        referrer: PointsCount.default(0).meta({ description: 'For the member whose code (member id) was given at enrolment.' }),
        referred: PointsCount.default(0).meta({ description: 'For the new member who gave it.' }),
      })
      .default({ referrer: 0, referred: 0 })
      .meta({
        description: "Both sides earn when the referred member's first order earns points; a full refund of that order takes both back.",
      }),
  })
  .default({ signUp: 0, firstPurchase: 0, birthday: 0, profileCompletion: 0, referral: { referrer: 0, referred: 0 } });

const REWARD_KINDS = ['fixed-discount', 'percent-discount', 'free-product', 'free-shipping', 'tier-up'] as const;

export const Reward = z
  .strictObject({
    rewardId: Id,
    name: z.string().trim().min(1).max(100),
    kind: z.enum(REWARD_KINDS),
    pointsPrice: PointsCount.positive().meta({ description: 'Points a redemption of this reward spends.' }),
    amount: DecimalText('fixed-discount: the amount off, in the program currency.').optional(),
    percent: z.number().int().min(1).max(100).optional().meta({ description: 'percent-discount: 1-100.' }),
    productId: z.string().min(1).max(128).optional().meta({ description: "free-product: the store's product or SKU." }),
    tier: Id.optional().meta({ description: 'tier-up: the tier it moves the member to.' }),
    tiers: z.array(Id).max(20).optional().meta({ description: 'Only members of these tiers may redeem it; absent: everyone.' }),
    stock: PointsCount.optional().meta({ description: 'Codes that can ever be issued; absent: unlimited.' }),
    perMemberLimit: z.number().int().positive().optional().meta({ description: 'Codes one member can ever get; absent: unlimited.' }),
    availableFrom: Instant.optional(),
    availableUntil: Instant.optional(),
    validDays: z.number().int().min(1).max(3650).default(30).meta({ description: 'Days an issued code stays usable.' }),
    refundOnExpiry: z.boolean().default(false).meta({ description: 'An unused code that expires gives its points back.' }),
  })
  .superRefine((r, ctx) => {
    const needs: Partial<Record<(typeof REWARD_KINDS)[number], keyof typeof r>> = {
      'fixed-discount': 'amount',
      'percent-discount': 'percent',
      'free-product': 'productId',
      'tier-up': 'tier',
    };
    const field = needs[r.kind];
    if (field && r[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `a ${r.kind} reward needs ${field}` });
    if (r.availableFrom && r.availableUntil && r.availableFrom >= r.availableUntil) {
      ctx.addIssue({ code: 'custom', path: ['availableUntil'], message: 'must be after availableFrom' });
    }
  });

const Hour = z.number().int().min(0).max(23);
const DEFAULT_STAGES = PROGRAM_AUTOMATION_DEFAULTS.reengageStages.map((s) => ({ ...s }));

export const Automation = z
  .strictObject({
    runAtHour: Hour.default(3).meta({ description: 'Local hour (program time zone) the daily jobs run.' }),
    expiryReminderDays: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(30)
      .meta({ description: 'Members are told this many days before points expire.' }),
    expiryLookbackMonths: z
      .number()
      .int()
      .min(0)
      .max(240)
      .default(24)
      .meta({ description: 'How far back expire-points looks for due lots (late orders, missed runs).' }),
    reengageStages: z
      .array(
        z.strictObject({
          stage: Id.meta({ description: 'Stable name; each stage is sent once per lapse.' }),
          afterDays: z.number().int().min(1).max(3650),
          bonusPoints: PointsCount.default(0),
        }),
      )
      .max(10)
      .default(DEFAULT_STAGES)
      .superRefine((stages, ctx) => {
        stages.forEach((st, i) => {
          if (i > 0 && st.afterDays <= stages[i - 1]!.afterDays)
            ctx.addIssue({ code: 'custom', path: [i, 'afterDays'], message: 'stages need ascending afterDays' });
          if (stages.findIndex((o) => o.stage === st.stage) !== i)
            ctx.addIssue({ code: 'custom', path: [i, 'stage'], message: `duplicate stage ${st.stage}` });
        });
      })
      .meta({ description: "Offers to members whose last purchase is older than afterDays (the seeds' 45 and 90 days)." }),
    catchUpDays: z.number().int().min(1).max(60).default(7).meta({ description: 'A lapse or birthday is acted on within this many days.' }),
    welcome: z
      .strictObject({ enabled: z.boolean().default(true), bonusPoints: PointsCount.default(0) })
      .default({ enabled: true, bonusPoints: 0 })
      .meta({ description: 'A welcome message (and optional points) after the first purchase.' }),
    quietHours: z
      .strictObject({ startHour: Hour, endHour: Hour })
      .nullable()
      .default({ startHour: 21, endHour: 9 })
      .meta({ description: 'No messages between these local hours (held until the end); null: none.' }),
    defaultLanguage: z.enum(['fa', 'en']).default('en').meta({ description: "Language of messages to members who haven't chosen one." }),
  })
  .default({ ...PROGRAM_AUTOMATION_DEFAULTS, reengageStages: DEFAULT_STAGES })
  .meta({ description: 'When the automations run and what they send (docs/automations.md).' });

export const ProgramBody = z
  .strictObject({
    currency: CurrencyCode.optional().meta({ description: 'Defaults to LOYALTY_CURRENCY.' }),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Tehran').default('UTC'),
    earning: EarningRules,
    campaigns: z
      .array(Campaign)
      .max(200)
      .default([])
      .superRefine((cs, ctx) => {
        cs.forEach((c, i) => {
          if (cs.findIndex((o) => o.id === c.id) !== i)
            ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate campaign id ${c.id}` });
        });
      }),
    stacking: z.enum(['stack', 'best']).default('stack').meta({
      description:
        'stack: every matching campaign applies (multipliers multiply, bonuses add); best: only the one worth most to the order.',
    }),
    tiers: Tiers,
    bonuses: Bonuses,
    pilot: Pilot,
    enrolment: Enrolment,
    rewards: z.array(Reward).max(200).default([]).meta({ description: 'The rewards catalog: what points buy (docs/rewards.md).' }),
    challenges: z
      .array(Challenge)
      .max(MAX_CHALLENGES)
      .default([])
      .meta({ description: 'Goals members play toward over a period, rewarded once per period (docs/program.md).' }),
    automation: Automation,
    pointsValidity: PointsValidity,
    displayCurrency: CurrencyCode.optional().meta({
      description:
        'The unit the member page and console show money in: the program currency, or IRT for an IRR program (and IRR for an IRT one), converted at 10 rials a Toman. Absent: IRT for IRR and IRT programs, else the program currency.',
      example: 'IRT',
    }),
    phoneRegion: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code such as IR, in capitals')
      .nullable()
      .optional()
      .meta({
        description:
          'The country national phone numbers (0912…) are read in; phones are kept in E.164. Absent: IR for IRR and IRT programs, else none; null or none: only international forms (+…, 00…) are accepted.',
        example: 'IR',
      }),
    pointValue: DecimalText(
      'Points as payment: what one point is worth in the program currency at checkout. A redemption without rewardId then answers its value; absent: no checkout value.',
    ).optional(),
  })
  .superRefine((p, ctx) => {
    const tierIds = new Set(p.tiers.levels.map((l) => l.id));
    p.rewards.forEach((r, i) => {
      if (p.rewards.findIndex((o) => o.rewardId === r.rewardId) !== i)
        ctx.addIssue({ code: 'custom', path: ['rewards', i, 'rewardId'], message: `duplicate reward ${r.rewardId}` });
      if (r.tier !== undefined && !tierIds.has(r.tier))
        ctx.addIssue({ code: 'custom', path: ['rewards', i, 'tier'], message: `no tier ${r.tier} in tiers.levels` });
      (r.tiers ?? []).forEach((t, j) => {
        if (!tierIds.has(t) && t !== 'member')
          ctx.addIssue({ code: 'custom', path: ['rewards', i, 'tiers', j], message: `no tier ${t} in tiers.levels` });
      });
    });
    p.challenges.forEach((c, i) => {
      if (p.challenges.findIndex((o) => o.id === c.id) !== i)
        ctx.addIssue({ code: 'custom', path: ['challenges', i, 'id'], message: `duplicate challenge id ${c.id}` });
      // A prize names a reward of this same catalog: the code it issues is that reward's.
      if ('rewardId' in c.reward) {
        const prize = p.rewards.find((r) => r.rewardId === (c.reward as { rewardId: string }).rewardId);
        if (!prize)
          ctx.addIssue({
            code: 'custom',
            path: ['challenges', i, 'reward', 'rewardId'],
            message: `no reward ${c.reward.rewardId} in rewards`,
          });
        else if (prize.kind === 'tier-up')
          ctx.addIssue({
            code: 'custom',
            path: ['challenges', i, 'reward', 'rewardId'],
            message: 'a tier-up reward is not a prize: tiers are qualified for, not won',
          });
      }
      // Referrals and a completed profile count where their bonus is paid, in its transaction: no bonus, nothing would count.
      if (c.goal.kind === 'referrals' && p.bonuses.referral.referrer === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['challenges', i, 'goal', 'kind'],
          message: 'a referrals goal counts the referral bonuses paid to the referrer: set bonuses.referral.referrer above 0',
        });
      if (c.goal.kind === 'profile' && p.bonuses.profileCompletion === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['challenges', i, 'goal', 'kind'],
          message: 'a profile goal counts the profile-completion bonus: set bonuses.profileCompletion above 0',
        });
    });
  })
  .meta({ id: 'ProgramInput' });

export type ProgramInput = z.input<typeof ProgramBody>;
export type ProgramRules = Omit<z.output<typeof ProgramBody>, 'currency'> & { readonly currency: string };
export type CampaignRules = z.output<typeof Campaign>;
export type TierLevelRules = z.output<typeof TierLevel>;
export type ChallengeRules = z.output<typeof Challenge>;

/** PUT body: the program plus the version it was edited from (or If-Match). */
export const PutProgramBody = ProgramBody.extend({
  expectedVersion: z.number().int().positive().optional().meta({ description: 'The version this edit starts from; or send If-Match.' }),
}).meta({ id: 'PutProgram' });

export const ProgramView = ProgramBody.safeExtend({
  version: z.number().int().meta({ description: 'Recorded as programVersion on every ledger entry it priced.' }),
  updatedAt: Instant.nullable(),
  updatedBy: z.string().nullable().meta({ description: 'X-Loyalty-Actor of the save (percent-decoded), when sent.' }),
  currency: z.string(),
  displayCurrency: z.string().meta({ description: 'The unit pages show money in (the default filled in).', example: 'IRT' }),
  displayRate: z.string().meta({
    description: 'Display units per program-currency unit: "0.1" shows rials as Toman. Read only; a PUT ignores it.',
    example: '0.1',
  }),
}).meta({ id: 'Program' });

export const ProgramVersionsView = z
  .object({ items: z.array(ProgramView), nextCursor: z.string().nullable() })
  .meta({ id: 'ProgramVersions' });

export const VersionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional(),
});

export const CalendarQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });

export const SimulatedOrder = z.strictObject({
  orderId: z.string().min(1).max(128).optional(),
  memberId: MemberId.optional().meta({ description: 'A real member to price for (read only); or describe one with member.' }),
  member: z
    .strictObject({
      tier: z.string().max(64).optional(),
      tags: z.array(Tag).optional(),
      joinedAt: Instant.optional(),
      qualifyingPoints: PointsCount.optional(),
      firstOrder: z.boolean().optional().meta({ description: "The customer's first order: the first-purchase bonus applies." }),
    })
    .optional(),
  amount: Money,
  currency: CurrencyCode,
  occurredAt: Instant.optional(),
  lineItems: z.array(LineItem).max(500).optional(),
});

export const SimulateBody = z
  .strictObject({
    program: ProgramBody.optional().meta({ description: 'The candidate; the current program when absent.' }),
    orders: z.array(SimulatedOrder).min(1).max(1000).optional(),
    lastDays: z
      .number()
      .int()
      .min(1)
      .max(90)
      .optional()
      .meta({ description: "Instead of orders: re-price the club's real orders of the last N days (at most 5,000, newest first)." }),
    challenges: z.array(Challenge).min(1).max(MAX_CHALLENGES).optional().meta({
      description:
        "Candidate challenges to price on the same orders (and, with lastDays, their refunds): who would have taken part and completed each period, and the points. Referrals count the referrals the orders pay (a referred member's first order; the program must pay the referrer); a profile goal counts the profile-completion bonuses in the ledgers read, with lastDays only (members who bought in the window).",
    }),
  })
  .refine((b) => (b.orders === undefined) !== (b.lastDays === undefined), { message: 'give either orders or lastDays', path: ['orders'] })
  .superRefine((b, ctx) => {
    (b.challenges ?? []).forEach((c, i) => {
      if (b.challenges!.findIndex((o) => o.id === c.id) !== i)
        ctx.addIssue({ code: 'custom', path: ['challenges', i, 'id'], message: `duplicate challenge id ${c.id}` });
    });
  })
  .meta({ id: 'Simulate' });

export const ReleaseBody = z
  .strictObject({ asOf: Instant.optional().meta({ description: 'Run as if the clock read this; default now.' }) })
  .meta({ id: 'ReleasePending' });

export const ReleaseView = z
  .object({ processed: z.number().int(), released: z.number().int(), points: z.number().int(), skipped: z.number().int() })
  .meta({ id: 'ReleaseReport' });

export const LaunchBody = z
  .strictObject({
    expectedVersion: z.number().int().positive().optional().meta({ description: 'The version being launched; or send If-Match.' }),
    retroactiveFrom: Instant.optional().meta({
      description:
        'Also credit the orders the pilot held back since this instant, priced by the launched program. Absent: no retroactive points.',
    }),
  })
  .meta({ id: 'LaunchProgram' });

export const SimulationView = z
  .object({
    programVersion: z.number().int().nullable().meta({ description: 'The running version priced with; null for a candidate program.' }),
    candidate: z.boolean(),
    orders: z.array(
      z.object({
        orderId: z.string().nullable(),
        memberId: z.string().nullable(),
        points: z.number().int(),
        bonusPoints: z.number().int().meta({ description: 'First-purchase and referral bonuses the order would pay.' }),
        actualPoints: z.number().int().optional().meta({ description: 'Real orders (lastDays): what the order actually earned.' }),
        campaigns: z.array(z.string()),
        note: z.string().nullable().meta({ description: 'order-cap or day-cap when a cap cut the points.' }),
        error: z
          .object({ code: z.string(), message: z.string() })
          .optional()
          .meta({ description: 'Why this order could not be priced (e.g. MEMBER_NOT_FOUND, CURRENCY_MISMATCH).' }),
      }),
    ),
    totalPoints: z.number().int(),
    totalBonusPoints: z.number().int(),
    liability: z.number().int().meta({ description: 'Points the orders would add to balances (points + bonus points).' }),
    liabilityValue: z
      .string()
      .optional()
      .meta({ description: "The liability at the program's pointValue, when it has one.", example: '12.50' }),
    ordersPriced: z.number().int(),
    ordersRefused: z.number().int(),
    lastDays: z.number().int().optional(),
    actualTotalPoints: z.number().int().optional(),
    truncated: z.boolean().optional().meta({ description: 'lastDays: more than 5,000 real orders; the newest were priced.' }),
    challenges: z
      .array(
        z.object({
          id: z.string(),
          participants: z.number().int().meta({ description: 'Members whose progress the orders would have moved.' }),
          completions: z.number().int().meta({ description: 'Member-periods with the goal met at the end (refunds taken into account).' }),
          points: z.number().int().meta({ description: 'The rewards those completions would hold: completions × the reward points.' }),
          pointsValue: z
            .string()
            .optional()
            .meta({ description: "Those points at the program's pointValue, in the program currency, when it has one.", example: '300' }),
          periods: z.array(
            z.object({
              period: z.string().meta({ description: "'once', or the month or week, e.g. J1405-01, M2027-03, W2027-03-20." }),
              participants: z.number().int(),
              completions: z.number().int(),
            }),
          ),
        }),
      )
      .optional()
      .meta({ description: 'The candidate challenges given, priced on the same orders (only when challenges were given).' }),
  })
  .meta({ id: 'Simulation' });

export const LaunchView = z
  .object({
    program: ProgramView,
    launched: z.boolean().meta({ description: 'false: the pilot had already ended; nothing changed.' }),
    retroactive: z
      .object({ orders: z.number().int(), points: z.number().int(), bonusPoints: z.number().int() })
      .meta({ description: 'The held-back orders credited now (zeros without retroactiveFrom).' }),
  })
  .meta({ id: 'Launch' });

export const CalendarView = z
  .object({
    year: z.number().int(),
    timeZone: z.string(),
    programVersion: z.number().int(),
    months: z
      .array(
        z.object({
          month: z.string().meta({ description: 'yyyy-mm' }),
          campaigns: z.array(Campaign),
          challenges: z.array(Challenge).meta({
            description:
              'The challenges running in the month, in program order: a dated one whose days meet it, a repeating one in every month.',
          }),
        }),
      )
      .meta({ description: 'Twelve months, each with every campaign its window touches and every challenge that runs in it.' }),
  })
  .meta({ id: 'CampaignCalendar' });
