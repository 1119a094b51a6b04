/**
 * How every scheduled job walks its due members: bucket by bucket of a sparse
 * index, a page at a time, a few members in parallel, until done or told to
 * stop; then it hands back a continuation that resumes exactly there. Work is
 * idempotent per member, so a run that died anywhere can simply run again.
 */
import type { AutomationSettings } from '../../domain/automation-settings';
import { DomainError } from '../../domain/errors';
import type { EventPublisher } from '../../events/events';
import type { EventParking } from '../../store/event-parking';
import { decodeStartKey, type AutomationStore, type IndexBucket } from '../../store/automation-store';
import type { MemberDirectory } from '../../store/member-directory';
import type { NameReindexStore } from '../../store/name-reindex';
import type { ClubDeps } from '../deps';
import { logger } from '../../lambda';

export interface JobDeps extends ClubDeps {
  readonly automation: AutomationStore;
  readonly settings: () => Promise<AutomationSettings>;
  /** Events the bus refused, and the bus to send them through again (republish-events). */
  readonly eventParking: { readonly parking: EventParking; readonly bus: EventPublisher };
  /** The name index backfill (job reindex-names, run by hand). */
  readonly nameReindex: NameReindexStore;
  /** Every member, page by page (job normalize-phones, run by hand). */
  readonly memberDirectory: MemberDirectory;
}

export interface JobInput {
  /** The clock the job runs as. */
  readonly asOf: Date;
  /** From a previous run's result: resume where it stopped. */
  readonly continuation?: string;
  /**
   * Asked before each page and each member; true ends the run with a continuation
   * (Lambda time budget), after the members already started have finished.
   */
  readonly shouldStop?: () => boolean;
  /** Members per index page. @default 100 */
  readonly pageSize?: number;
}

export interface JobResult {
  readonly job: string;
  readonly asOf: string;
  /** Members the run changed something for (ledger entry, reminder, offer, message). */
  readonly processed: number;
  /** Candidates read from the index. */
  readonly examined: number;
  /** Members whose work threw; a rerun retries them. */
  readonly failed: number;
  readonly complete: boolean;
  readonly continuation?: string;
  readonly [count: string]: unknown;
}

/** What handling one member did; numbers are summed into the result. */
export type MemberOutcome = { readonly acted: boolean } & Record<string, number | boolean>;

const PAGE_SIZE = 100;
const CONCURRENCY = 8;

interface Position {
  readonly job: string;
  readonly asOf: string;
  readonly bucket: number;
  readonly cursor?: string;
}

function encodePosition(p: Position): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

function decodePosition(token: string, job: string, asOf: string): Position {
  try {
    const p = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Position;
    // The index cursor inside is checked too (decodeStartKey throws on a forged one): DynamoDB would refuse it with a 500 of ours.
    if (
      p &&
      p.job === job &&
      p.asOf === asOf &&
      Number.isInteger(p.bucket) &&
      p.bucket >= 0 &&
      (p.cursor === undefined || (typeof p.cursor === 'string' && decodeStartKey(p.cursor)))
    )
      return p;
  } catch {
    // refused below
  }
  throw new DomainError('INVALID_CONTINUATION', `continuation is not one ${job} returned for asOf ${asOf}`, [
    { path: 'continuation', message: 'unknown continuation' },
  ]);
}

/**
 * Runs fn over items, `limit` at a time, in order, until stop() says so; answers
 * how many were started (all of them finished): always a prefix of the items.
 */
async function inParallel<T>(items: readonly T[], limit: number, stop: () => boolean, fn: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (next < items.length && !(stopped ||= stop())) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return next;
}

export async function walkBuckets(
  deps: JobDeps,
  job: string,
  input: JobInput,
  buckets: readonly IndexBucket[],
  counters: readonly string[],
  handle: (memberId: string, bucket: IndexBucket) => Promise<MemberOutcome>,
): Promise<JobResult> {
  const asOf = input.asOf.toISOString();
  const start = input.continuation ? decodePosition(input.continuation, job, asOf) : { job, asOf, bucket: 0 };
  const totals: Record<string, number> = Object.fromEntries(counters.map((c) => [c, 0]));
  let processed = 0;
  let examined = 0;
  let failed = 0;
  const errors: string[] = [];
  const result = (position?: Position): JobResult => ({
    job,
    asOf,
    processed,
    examined,
    failed,
    ...totals,
    ...(errors.length ? { errors } : {}),
    complete: position === undefined,
    ...(position ? { continuation: encodePosition(position) } : {}),
  });

  let cursor = start.cursor;
  for (let b = start.bucket; b < buckets.length; b++) {
    const bucket = buckets[b]!;
    do {
      if (input.shouldStop?.()) return result({ job, asOf, bucket: b, cursor });
      const page = await deps.automation.membersPage(bucket, { cursor, limit: input.pageSize ?? PAGE_SIZE });
      // The budget is asked before each member too: one page of slow members must not outlast the invocation.
      const stop = () => input.shouldStop?.() ?? false;
      const done = await inParallel(page.memberIds, CONCURRENCY, stop, async (memberId) => {
        examined += 1;
        try {
          const outcome = await handle(memberId, bucket);
          if (outcome.acted) processed += 1;
          for (const [k, v] of Object.entries(outcome)) if (typeof v === 'number') totals[k] = (totals[k] ?? 0) + v;
        } catch (err) {
          failed += 1;
          if (errors.length < 5) errors.push(`${memberId}: ${(err as Error).message}`);
          logger.error(`${job} failed for a member`, { job, asOf, memberId, error: String(err) });
        }
      });
      if (done < page.memberIds.length) {
        // Stopped inside the page: the next run starts right after the last member started here.
        return result({ job, asOf, bucket: b, cursor: done === 0 ? cursor : (page.after?.[done - 1] ?? cursor) });
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return result();
}
