/**
 * reindex-names: a maintenance job run by hand (not on the daily schedule).
 * Gives every member the name index items their name should have: members
 * enrolled before the index existed, imported by an old version, or with
 * words a newer index keeps (NAME_INDEX_WORDS). Walks the member directory
 * shard by shard (no Scan) and writes only what is missing, so a second run
 * writes nothing. Stops when told (a Lambda's time budget) with a
 * continuation that resumes at the next member; it is not bound to asOf, so
 * a run can be continued whenever.
 */
import { DomainError } from '../../domain/errors';
import { isKeyValue, MEMBER_DIRECTORY_SHARDS } from '../../store/keys';
import type { DirectoryPosition } from '../../store/name-reindex';
import type { JobDeps, JobInput, JobResult } from './job-runner';

export const REINDEX_NAMES = 'reindex-names';

const PAGE_SIZE = 100;

function encodePosition(p: DirectoryPosition): string {
  return Buffer.from(JSON.stringify({ job: REINDEX_NAMES, d: p.shard, a: p.after })).toString('base64url');
}

function decodePosition(token: string): DirectoryPosition {
  try {
    const p = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { job?: unknown; d?: unknown; a?: unknown };
    if (
      p &&
      p.job === REINDEX_NAMES &&
      Number.isInteger(p.d) &&
      (p.d as number) >= 0 &&
      (p.d as number) < MEMBER_DIRECTORY_SHARDS &&
      (p.a === undefined || isKeyValue(p.a, 'sort'))
    ) {
      return { shard: p.d as number, after: p.a as string | undefined };
    }
  } catch {
    // refused below
  }
  throw new DomainError('INVALID_CONTINUATION', `continuation is not one ${REINDEX_NAMES} returned`, [
    { path: 'continuation', message: 'unknown continuation' },
  ]);
}

export async function reindexNames(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const store = deps.nameReindex;
  let position: DirectoryPosition | undefined = input.continuation ? decodePosition(input.continuation) : { shard: 0 };
  const totals = { processed: 0, examined: 0, failed: 0, itemsPut: 0, renamedMeanwhile: 0 };
  const errors: string[] = [];
  while (position) {
    if (input.shouldStop?.()) break;
    const page = await store.reindexPage(position, input.pageSize ?? PAGE_SIZE, () => input.shouldStop?.() ?? false);
    totals.examined += page.members;
    totals.processed += page.indexed;
    totals.itemsPut += page.itemsPut;
    totals.renamedMeanwhile += page.renamedMeanwhile;
    totals.failed += page.failed;
    errors.push(...page.errors.slice(0, 5 - errors.length));
    position = page.next;
  }
  return {
    job: REINDEX_NAMES,
    asOf: input.asOf.toISOString(),
    ...totals,
    ...(errors.length ? { errors } : {}),
    complete: position === undefined,
    ...(position ? { continuation: encodePosition(position) } : {}),
  };
}
