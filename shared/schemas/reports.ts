import * as z from 'zod';

/**
 * The days a report may name. Bounded so that every day in reach, and the day
 * after it, is a four-digit yyyy-mm-dd that sorts as a string (the day after
 * 9999-12-31 prints as +010000-01-01 and sorts before it); the same years as the
 * campaign calendar.
 */
export const FIRST_REPORT_DAY = '2000-01-01';
export const LAST_REPORT_DAY = '2100-12-31';

/** A day (yyyy-mm-dd) or an ISO instant; reports count whole UTC days, so an instant means its day. */
export const ReportDay = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v).toISOString().slice(0, 10))
  .refine((day) => day >= FIRST_REPORT_DAY && day <= LAST_REPORT_DAY, {
    message: `a day from ${FIRST_REPORT_DAY} to ${LAST_REPORT_DAY} (UTC)`,
  })
  .meta({
    description: `yyyy-mm-dd or an ISO 8601 instant; the report counts its whole UTC day, which must be from ${FIRST_REPORT_DAY} to ${LAST_REPORT_DAY}.`,
    example: '2026-03-01',
  });

export const ReportFormat = z
  .enum(['json', 'csv'])
  .optional()
  .meta({ description: 'csv answers text/csv (also chosen by Accept: text/csv).' });

export const SummaryQuery = z.strictObject({
  from: ReportDay.optional().meta({
    description: `First day counted (inclusive), ${FIRST_REPORT_DAY}..${LAST_REPORT_DAY}; default 29 days before \`to\`.`,
  }),
  to: ReportDay.optional().meta({
    description: `Last day counted (inclusive), ${FIRST_REPORT_DAY}..${LAST_REPORT_DAY}; default today (UTC).`,
  }),
  format: ReportFormat,
});

export const SERIES_METRICS = [
  'members',
  'newMembers',
  'profilesComplete',
  'profileCompleteRate',
  'smsConsent',
  'smsConsentRate',
  'emailConsent',
  'emailConsentRate',
  'offersConsent',
  'offersConsentRate',
  'activeMembers',
  'repeatBuyers',
  'newBuyers',
  'orders',
  'repeatOrders',
  'pointsIssued',
  'pointsRedeemed',
  'pointsExpired',
  'pointsReversed',
  'pointsAdjusted',
  'pointsOutstanding',
  'pointsPending',
  'outstandingValue',
  'redemptionRate',
  'repeatPurchaseRate',
  'revenue',
  'repeatRevenue',
  'rewardsValue',
] as const;

export const SeriesQuery = z.strictObject({
  from: ReportDay.optional().meta({
    description: `First day (inclusive), ${FIRST_REPORT_DAY}..${LAST_REPORT_DAY}; default 29 days before \`to\`.`,
  }),
  to: ReportDay.optional().meta({ description: `Last day (inclusive), ${FIRST_REPORT_DAY}..${LAST_REPORT_DAY}; default today (UTC).` }),
  interval: z.enum(['day', 'week', 'month']).default('day').meta({
    description: 'Buckets: UTC days, ISO weeks (Monday first) or calendar months, clipped to from..to; at most 1,000 of them (else 400).',
  }),
  metric: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      const list = v.split(',').map((m) => m.trim());
      const bad = list.filter((m) => !(SERIES_METRICS as readonly string[]).includes(m));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `unknown metric ${bad.join(', ')}; one of ${SERIES_METRICS.join(', ')}` });
        return z.NEVER;
      }
      return list as (typeof SERIES_METRICS)[number][];
    })
    .meta({ description: `Comma-separated metrics to return (default all): ${SERIES_METRICS.join(', ')}.` }),
  format: ReportFormat,
});

const Rate = z.number().min(0).meta({ description: 'A ratio rounded to 4 decimals; 0 when its denominator is 0.' });
const MoneyText = z.string().meta({ example: '1250.00' });

export const ReportFiguresView = z
  .object({
    from: z.string(),
    to: z.string(),
    currency: z.string().meta({ description: 'The program currency: every money figure is in it.' }),
    displayCurrency: z
      .string()
      .meta({ description: 'The unit pages show money in (IRT for IRR and IRT programs by default).', example: 'IRT' }),
    displayRate: z.string().meta({ description: 'Display units per currency unit ("0.1": rials shown as Toman).', example: '0.1' }),
    members: z.number().int().meta({ description: 'Members enrolled up to the end of `to`.' }),
    newMembers: z.number().int(),
    profilesComplete: z
      .number()
      .int()
      .meta({ description: 'Members whose profile (email, phone, name and birthday) is complete at the end of `to`.' }),
    profileCompleteRate: Rate.meta({ description: 'profilesComplete / members at the end of `to`.' }),
    smsConsent: z.number().int().meta({
      description:
        'Members who allow SMS (sms among their message channels; a member who never chose does) at the end of `to`. Changes saved before the release that added it are not counted.',
    }),
    smsConsentRate: Rate.meta({ description: 'smsConsent / members at the end of `to`.' }),
    emailConsent: z.number().int().meta({
      description:
        'Members who allow email (email among their message channels; a member who never chose does) at the end of `to`. Changes saved before the release that added it are not counted.',
    }),
    emailConsentRate: Rate.meta({ description: 'emailConsent / members at the end of `to`.' }),
    offersConsent: z.number().int().meta({
      description:
        'Members who consent to offers (marketing: true; a member who never chose does not) at the end of `to`. Changes saved before the release that added it are not counted.',
    }),
    offersConsentRate: Rate.meta({ description: 'offersConsent / members at the end of `to`.' }),
    activeMembers: z.number().int().meta({ description: 'Distinct members with at least one order recorded in the window.' }),
    repeatBuyers: z.number().int().meta({ description: 'Active members with two or more orders ever by the end of the window.' }),
    newBuyers: z.number().int().meta({ description: 'Members whose first order ever is in the window.' }),
    orders: z.number().int(),
    repeatOrders: z.number().int().meta({ description: 'Orders from members who had ordered before.' }),
    pointsIssued: z
      .number()
      .int()
      .meta({ description: 'Points credited to balances in the window: earn (incl. released pending points) and bonus entries.' }),
    pointsRedeemed: z.number().int(),
    pointsExpired: z.number().int(),
    pointsReversed: z.number().int().meta({ description: 'Points taken back by refunds and bonus reversals.' }),
    pointsAdjusted: z.number().int().meta({ description: 'Net staff adjustments.' }),
    pointsOutstanding: z.number().int().meta({ description: 'The liability: sum of all balances at the end of `to`.' }),
    pointsPending: z.number().int().meta({ description: 'Points waiting out the return window at the end of `to` (not in balances).' }),
    pointValue: MoneyText,
    outstandingValue: MoneyText.meta({ description: 'pointsOutstanding × pointValue, in the program currency.' }),
    redemptionRate: Rate.meta({ description: 'pointsRedeemed / pointsIssued in the window.' }),
    repeatPurchaseRate: Rate.meta({ description: 'repeatBuyers / activeMembers.' }),
    revenue: MoneyText.meta({ description: "What the window's orders paid (before refunds)." }),
    repeatRevenue: MoneyText.meta({ description: 'What orders from returning members paid.' }),
    rewardsValue: MoneyText.meta({ description: 'pointsRedeemed × pointValue.' }),
    exact: z.boolean().meta({
      description:
        "false only for a window over 32 days not starting on the 1st where some member's earlier order is known only by month (see docs/reports.md).",
    }),
  })
  .meta({ id: 'ReportFigures' });

export const ReportSummaryView = ReportFiguresView.extend({
  challenges: z
    .array(
      z.object({
        id: z.string(),
        name: z
          .object({ fa: z.string(), en: z.string() })
          .nullable()
          .meta({ description: "The challenge's names; null for one removed from the program since." }),
        participants: z.number().int().meta({
          description:
            "Members who started the challenge's period in the window (their first progress in it): a repeating challenge counts a member once per period.",
        }),
        completions: z.number().int().meta({
          description: 'Rewards granted in the window less those taken back in it (a refund that drops the progress below the target).',
        }),
        points: z.number().int().meta({ description: "What the window's rewards cost: their points less those taken back." }),
        completionRate: Rate.meta({ description: 'completions / participants in the window.' }),
      }),
    )
    .meta({
      description:
        "Per challenge: the program's in its order, then removed ones with figures in the window. Not in the CSV row (docs/reports.md).",
    }),
}).meta({ id: 'ReportSummary' });

export const ReportSeriesView = z
  .object({
    from: z.string(),
    to: z.string(),
    interval: z.enum(['day', 'week', 'month']),
    currency: z.string(),
    displayCurrency: z.string(),
    displayRate: z.string(),
    metrics: z.array(z.string()),
    items: z
      .array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])))
      .meta({ description: 'One per bucket: from, to and the metrics.' }),
  })
  .meta({ id: 'ReportSeries' });

export const CostsQuery = z.strictObject({
  from: ReportDay.optional().meta({
    description: `First day (inclusive), ${FIRST_REPORT_DAY}..${LAST_REPORT_DAY}; default 29 days before \`to\`.`,
  }),
  to: ReportDay.optional().meta({ description: `Last day (inclusive), ${FIRST_REPORT_DAY}..${LAST_REPORT_DAY}; default today (UTC).` }),
  format: ReportFormat,
});

const PerMillion = z
  .object({
    dynamodb: z.number(),
    lambda: z.number(),
    apiGateway: z.number(),
    sqs: z.number().meta({ description: "The consumer batches' ReceiveMessage + DeleteMessageBatch, and the receiver's SendMessage." }),
    scheduler: z.number(),
    eventBridge: z.number().meta({ description: 'Events the requests published ($1 per million).' }),
    trigger: z.number().meta({ description: 'apiGateway + sqs + scheduler + eventBridge.' }),
    logs: z.number().meta({ description: "CloudWatch Logs ingestion of the requests' log bytes." }),
    xray: z.number().meta({ description: 'X-Ray traces recorded ($5 per million).' }),
    init: z.number().meta({ description: "Lambda's INIT phase of cold starts (billed as duration)." }),
    total: z.number(),
  })
  .meta({ description: 'USD per million requests (invocations) of the route, by service.' });

const ByService = z
  .object({
    dynamodb: z.number(),
    lambda: z.number(),
    apiGateway: z.number(),
    sqs: z.number(),
    scheduler: z.number(),
    eventBridge: z.number(),
    trigger: z.number().meta({ description: 'apiGateway + sqs + scheduler + eventBridge.' }),
    logs: z.number().meta({ description: 'CloudWatch Logs ingestion.' }),
    xray: z.number().meta({ description: 'X-Ray traces recorded.' }),
    init: z.number().meta({ description: 'Lambda INIT phases of cold starts.' }),
    total: z.number(),
  })
  .meta({
    id: 'CostByService',
    description: 'USD in the window, by AWS service, summed from the recorded cost lines; total = the sum of the services.',
  });

const PriceTableView = z
  .object({
    asOf: z.string().meta({ description: 'When the prices were last checked (yyyy-mm-dd).' }),
    region: z.string(),
    currency: z.literal('USD'),
    dynamodbPerMillionRru: z.number(),
    dynamodbPerMillionWru: z.number(),
    dynamodbPerGbMonth: z.number().meta({
      description:
        'DynamoDB Standard table class storage, USD per GB-month (the estimate before deploying; the report itself prices no storage).',
    }),
    lambdaPerGbSecond: z.number().meta({ description: "arm64, the stack's architecture." }),
    lambdaPerMillionRequests: z.number(),
    httpApiPerMillion: z.number(),
    sqsPerMillion: z.number(),
    schedulerPerMillion: z.number(),
    eventBridgePerMillionEvents: z.number(),
    cloudwatchLogsPerGbIngested: z.number().meta({ description: 'Standard log class, per GB of 2^30 bytes.' }),
    xrayPerMillionTraces: z.number(),
    cloudwatchPerMetricMonth: z.number().meta({ description: 'A custom metric per month (prorated by the hour it receives data).' }),
    cloudwatchPerAlarmMetricMonth: z.number().meta({ description: 'A standard alarm per metric it evaluates, per month.' }),
    cloudwatchPerDashboardMonth: z.number(),
    secretsManagerPerSecretMonth: z.number(),
    cognitoPerUserPoolMonth: z.number(),
    kmsPerKeyMonth: z.number().meta({ description: 'A customer-managed key per month.' }),
    sources: z.array(z.string()),
  })
  .meta({ id: 'PriceTable', description: 'The dated list prices (USD) the figures use.' });

export const CostReportView = z
  .object({
    from: z.string(),
    to: z.string(),
    source: z.enum(['local-log', 'cloudwatch']).meta({
      description:
        "local-log: the local costs.jsonl; cloudwatch: on AWS, read from the cost metrics (GetMetricData), which carry each invocation's total only: the split by service, units and ms per request are 0 there, `total` is the figure.",
    }),
    prices: PriceTableView,
    requests: z.number().int(),
    totalCost: z.number().meta({ description: 'USD.' }),
    orders: z.number().int(),
    members: z.number().int(),
    costPer1000Orders: z.number().nullable().meta({ description: 'totalCost / orders in the window × 1000 (USD).' }),
    costPerMemberPerMonth: z.number().nullable().meta({ description: 'totalCost / members / months in the window (USD).' }),
    byService: ByService,
    webhooks: z
      .object({
        deliveries: z.number().int().meta({
          description: 'Requests to POST /v1/webhooks/* in the window: every delivery a store sent, refused and retried ones included.',
        }),
        batches: z.number().int().meta({ description: 'Webhook consumer invocations (SQS batches) in the window.' }),
        totalCost: z.number().meta({ description: 'USD: the receiver requests and the consumer batches.' }),
        costPer1000Deliveries: z
          .number()
          .nullable()
          .meta({ description: 'webhooks.totalCost / deliveries × 1000 (USD); null without deliveries.' }),
        byService: ByService,
      })
      .meta({ description: 'What handling webhook deliveries cost in the window (receiver + consumer).' }),
    routes: z.array(
      z.object({
        route: z.string().meta({
          description:
            '"POST /v1/earn"; other handlers "<TRIGGER> <function> [what]": "SQS webhook-consumer", "SCHEDULER jobs expire-points", "EVENTBRIDGE notifier points.expiring".',
        }),
        requests: z.number().int(),
        rruPerRequest: z.number(),
        wruPerRequest: z.number(),
        wruPricedPerRequest: z.number().meta({
          description:
            "The write units priced: locally, AWS's rule for transactions (2 WRU per item-KB) where DynamoDB Local reports its own figure in wruPerRequest.",
        }),
        wruCancelledPerRequest: z.number().meta({
          description:
            "Write units of transactions DynamoDB cancelled (a condition failed, a conflict), a request, by AWS's rule (2 WRU per item-KB): billed though their response reports none; priced besides wruPricedPerRequest.",
        }),
        msPerRequest: z.number(),
        records: z.number().int().meta({ description: "Items handled: an SQS batch's deliveries; one per request otherwise." }),
        recordsPerRequest: z.number(),
        costPerRequest: z.number().meta({ description: 'USD per invocation (a consumer batch, a job run, an HTTP request).' }),
        costPerRecord: z.number().meta({ description: 'USD per item: for "SQS webhook-consumer", per webhook delivery.' }),
        costPerMillion: PerMillion,
      }),
    ),
    fixedMonthly: z
      .object({
        items: z.array(
          z.object({
            resource: z.enum(['customMetrics', 'alarmMetrics', 'dashboards', 'secrets', 'userPools', 'kmsKeys']),
            count: z.number().int(),
            unitPrice: z.number().meta({ description: 'USD per unit per month.' }),
            monthly: z.number().meta({ description: 'count × unitPrice (USD per month).' }),
            note: z.string(),
          }),
        ),
        total: z.number().meta({ description: 'USD per month: the items summed.' }),
        idle: z.number().meta({ description: 'USD per month without the custom metrics: a stack that serves no request, at list prices.' }),
        idleInFreeTier: z.number().meta({
          description:
            "The idle floor where the account's CloudWatch free tier is all this stack's (its dashboard one of the account's first 3, 10 alarm metrics free): an account that runs only this stack.",
        }),
      })
      .meta({
        id: 'FixedMonthly',
        description:
          "What the stack costs each month before any request: its alarms, dashboard, secrets, user pool, KMS keys, and the cost metrics the window's requests emitted (at most).",
      }),
    billed: z
      .object({
        available: z.boolean().meta({ description: 'false: Cost Explorer refused or had nothing (see reason); the model stands alone.' }),
        reason: z.string().optional().meta({ description: 'Why the bill is missing: the error Cost Explorer answered.' }),
        readOn: z.string().optional().meta({ description: 'The UTC day Cost Explorer was read (its answer is kept for that day).' }),
        services: z.array(
          z.object({
            service: z
              .string()
              .meta({ description: 'Cost Explorer\'s SERVICE: "Amazon DynamoDB", "AWS Lambda", ...', example: 'AWS Lambda' }),
            amount: z.number().meta({ description: 'USD billed for the days (UnblendedCost).' }),
          }),
        ),
        total: z.number().nullable().meta({ description: 'USD billed for the days, all services; null when unavailable.' }),
        modelled: z.number().meta({ description: "USD: totalCost plus the fixed monthly floor for the window's days." }),
        difference: z.number().nullable().meta({ description: 'total − modelled (USD); null when unavailable.' }),
      })
      .optional()
      .meta({
        id: 'BilledCosts',
        description:
          'On AWS only: what AWS billed the stack for the same days, per service, from Cost Explorer (resources tagged project=loyalty-club and stage=<stage>; the tags must be active cost allocation tags), beside the modelled figure.',
      }),
    note: z.string().optional(),
  })
  .meta({ id: 'CostReport' });
