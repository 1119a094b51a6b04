/**
 * Records what an invocation cost: on AWS one EMF log line (CloudWatch turns it
 * into metrics), locally one JSON line appended to LOYALTY_COSTS_FILE
 * (<data dir>/costs.jsonl). Never fails the invocation it measures.
 *
 * Every handler goes through withCost (or, for work the local runtime runs
 * inline instead of invoking a handler, costed): the HTTP routes
 * (shared/http/route-handler.ts), the webhook consumer, the jobs and the
 * notifier. docs/costs.md.
 */
import { appendFile } from 'node:fs/promises';
import type { Context } from 'aws-lambda';
import { readRunConfig } from '../config';
import { logger, SERVICE } from '../lambda';
import { metered, outsideMeter, type CapacityReading } from '../store/capacity-meter';
import { charged, meterLogs, outsideCharges, type Charges } from './charges';
import { PRICES } from './prices';
import { costOf, emfLine, type RequestUsage, type Trigger } from './request-cost';

export const COST_SERVICE = SERVICE;

/** The functions' configured memory (infra/constructs/club-function.ts): what a local run is priced at. */
export const DEFAULT_MEMORY_MB = 512;

/**
 * Lambda's own lines per invocation in its text log format, START, END and REPORT
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html), with a request
 * id's 36 characters and a warm invocation's REPORT fields: what every invocation
 * adds to its log group besides the handler's own lines.
 */
const RID = '8f507cfc-0000-4697-b07a-ac58fc914c95';
export const LAMBDA_PLATFORM_LOG_BYTES = Buffer.byteLength(
  `START RequestId: ${RID} Version: $LATEST\n` +
    `END RequestId: ${RID}\n` +
    `REPORT RequestId: ${RID}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 96 MB\t\n`,
);

let coldStart = true;

/**
 * On Lambda, the first invocation of this execution environment: how long its INIT
 * phase took (the process's age when the handler first runs: runtime start and
 * module loading), billed as duration since August 2025
 * (https://aws.amazon.com/lambda/pricing/). Never locally: the local runtime keeps
 * one process warm.
 */
function takeInitMs(): number | undefined {
  if (!coldStart || !readRunConfig().onLambda) return undefined;
  coldStart = false;
  return process.uptime() * 1000;
}

/**
 * Writes an invocation's cost where it runs: locally appended to the costs file
 * (LOYALTY_COSTS_FILE, <data dir>/costs.jsonl), on AWS an EMF line on stdout.
 */
async function recordCost(usage: RequestUsage, where: { readonly costsFile?: string; readonly onLambda: boolean }): Promise<void> {
  try {
    const cost = costOf(usage, PRICES);
    if (where.costsFile) {
      const line = JSON.stringify({ at: new Date().toISOString(), ...usage, costUsd: cost.total });
      await appendFile(where.costsFile, `${line}\n`, { mode: 0o600 });
    } else if (where.onLambda) {
      // stdout of a Lambda is its log stream; CloudWatch extracts the metrics.
      process.stdout.write(`${emfLine(usage, cost, COST_SERVICE)}\n`);
    }
  } catch (err) {
    logger.warn('request cost not recorded', { error: String(err) });
  }
}

/** How an invocation is named and priced; functions of the event where it depends on it. */
export interface CostSpec<E, R> {
  /** "POST /v1/earn"; other handlers "<TRIGGER> <function> [what]", e.g. "SQS webhook-consumer". */
  readonly route: string | ((event: E) => string);
  readonly trigger: Trigger | ((event: E) => Trigger);
  /** Items the invocation handles (an SQS batch's records). @default 1 */
  readonly records?: (event: E) => number;
  /** The HTTP status of a route's answer. */
  readonly status?: (result: R) => number | undefined;
}

/** The route name of a non-HTTP handler: its trigger in capitals, the function, and what it ran. */
export function costRoute(trigger: Trigger, fn: string, what?: string): string {
  return `${trigger === 'http-api' ? 'HTTP' : trigger.toUpperCase()} ${fn}${what ? ` ${what}` : ''}`;
}

/** A job's invocations: "SCHEDULER jobs expire-points" (its schedule), "EVENTBRIDGE jobs expire-points" (a continuation). */
export function jobCostRoute(trigger: Trigger, job: string | undefined): string {
  return costRoute(trigger, 'jobs', job ?? 'unknown');
}

/** The notifier's invocations: "EVENTBRIDGE notifier points.expiring" (an event), "SCHEDULER notifier flush-deferred". */
export function notifierCostRoute(trigger: Trigger, what: string | undefined): string {
  return costRoute(trigger, 'notifier', what ?? 'unknown');
}

function memoryOf(context: Partial<Context> | undefined): number {
  return Number(context?.memoryLimitInMB ?? 0) || DEFAULT_MEMORY_MB;
}

/**
 * Runs one invocation's work and records its cost: the DynamoDB units it
 * consumed (metered), its duration, the memory it runs with, the trigger's
 * charge and the SQS sends and events it made. A failure is recorded too,
 * then thrown on. Inside another meter (the local queue measuring its
 * consumer) the units count there as well.
 */
export async function costed<T>(
  usage: {
    readonly route: string;
    readonly trigger: Trigger;
    readonly records?: number;
    readonly memoryMb?: number;
    readonly status?: (result: T) => number | undefined;
  },
  fn: () => Promise<T>,
): Promise<T> {
  meterLogs();
  const initMs = takeInitMs();
  const started = performance.now();
  const charges: Charges = { sqsSends: 0, eventsPublished: 0, logBytes: 0 };
  let capacity: CapacityReading | undefined;
  let status: number | undefined;
  try {
    // A failed invocation consumed units too: keep the reading, then throw the failure on.
    const run = await metered(() =>
      charged(fn, charges).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    );
    capacity = run.capacity;
    if (!run.result.ok) throw run.result.error;
    status = usage.status?.(run.result.value);
    return run.result.value;
  } finally {
    // Read once: the environment is fingerprinted on each read.
    const where = readRunConfig();
    const wru = capacity?.writeCapacityUnits ?? 0;
    const wruAws = capacity?.awsWriteUnits ?? 0;
    const measured: RequestUsage = {
      route: usage.route,
      trigger: usage.trigger,
      rru: capacity?.readCapacityUnits ?? 0,
      wru,
      // Only against DynamoDB Local (the local costs file): on AWS the reported units are AWS's own.
      ...(where.costsFile && wruAws !== wru && { wruAws }),
      // Locally and on AWS alike: a cancelled transaction's response reports no units.
      ...(capacity?.cancelledWriteUnits ? { wruCancelled: capacity.cancelledWriteUnits } : {}),
      durationMs: performance.now() - started,
      memoryMb: usage.memoryMb ?? DEFAULT_MEMORY_MB,
      ...(status !== undefined && { status }),
      ...(usage.records !== undefined && { records: usage.records }),
      ...(charges.sqsSends > 0 && { sqsSends: charges.sqsSends }),
      ...(charges.eventsPublished > 0 && { eventsPublished: charges.eventsPublished }),
      ...(where.traced && { traced: true }),
      ...(initMs !== undefined && { initMs }),
    };
    // What its log group ingests: the handler's lines, Lambda's, and the cost line itself
    // (on AWS the EMF line; its size barely moves with the logs' own cost, so it is measured without it).
    const own = (charges.logBytes ?? 0) + LAMBDA_PLATFORM_LOG_BYTES;
    const costLine = Buffer.byteLength(emfLine(measured, costOf(measured, PRICES), COST_SERVICE)) + 1;
    await recordCost({ ...measured, logBytes: own + costLine }, where);
  }
}

/**
 * Runs fn as an invocation of its own, outside the caller's meter and charges:
 * locally the notifier runs inline inside the request that published the
 * event, but on AWS it is a separate invocation, paid separately.
 */
export function separateInvocation<T>(fn: () => Promise<T>): Promise<T> {
  return outsideMeter(() => outsideCharges(fn));
}

/** A Lambda handler that records its cost per invocation (costed around it, named and priced by the spec). */
export function withCost<E, R>(
  spec: CostSpec<E, R>,
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  return (event, context) =>
    costed(
      {
        route: typeof spec.route === 'function' ? spec.route(event) : spec.route,
        trigger: typeof spec.trigger === 'function' ? spec.trigger(event) : spec.trigger,
        records: spec.records?.(event),
        memoryMb: memoryOf(context),
        status: spec.status,
      },
      () => handler(event, context),
    );
}
