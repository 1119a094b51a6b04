/**
 * Bringing a store's existing customers in, a batch per request
 * (POST /v1/admin/imports/members). Every guarantee of POST /v1/members holds
 * per row, and a refused row is answered with the code and message that route
 * would give.
 *
 * The rows go first in as few transactions as their items fit (the store's
 * createMembers): each member with its claims, directory and name index items
 * and its opening balance as a ledger entry under the key "opening-balance"
 * (the stream processor counts both in the reports). A row whose own condition
 * fails there (an id or claim already taken, a row imported before), or that
 * shares an identity with an earlier row of the batch, is then enrolled by
 * itself (enrolMember, then adjust), which gives the exact answer.
 *
 * Idempotent per row key: a row without its own memberId gets one derived from
 * its key, so the same key again finds its member (the enrolment's member
 * condition) and answers the first result instead of enrolling twice.
 */
import { createHash } from 'node:crypto';
import type * as z from 'zod';
import { DomainError, ERROR_CATALOG, type ErrorDetail } from '../domain/errors';
import { claimsOf, type Member } from '../domain/member';
import { decideAdjust } from '../domain/rules';
import { newId } from '../ids';
import type { NewMember } from '../store/club-store';
import { identityMismatches } from '../import/member-csv';
import { AGAIN, withRetries, type RetryPolicy } from '../retry';
import { ImportMemberRow } from '../schemas/member-imports';
import { validationError } from '../http/errors';
import type { ClubDeps } from './deps';
import { afterProfile } from './bonuses';
import { enrolMember, newMember } from './members';
import { adjust } from './points';

export const OPENING_BALANCE_KEY = 'opening-balance';
export const OPENING_BALANCE_REASON = 'opening balance';

export interface RowError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details: readonly ErrorDetail[];
}

export type ImportRowResult =
  | { key: string; status: 'created' | 'existing'; memberId: string; openingBalance?: number }
  | { key: string; status: 'failed'; memberId?: string; error: RowError }
  | { key: string; status: 'not-attempted' };

export interface ImportOptions {
  /** Who the opening-balance adjustments name. */
  readonly actor: string;
  /** Rows in flight at once. */
  readonly concurrency: number;
  /** Asked before each row: true once the request must answer (the function's time is nearly up). */
  readonly shouldStop: () => boolean;
}

/**
 * A throttled store, or a row that kept losing to other writes: tried again,
 * backing off, then left for the caller to send again (by its key, safely: an
 * enrolment that did commit is found again, the opening balance by its key).
 */
const BUSY: RetryPolicy = { attempts: 4, baseMs: 50, capMs: 1_000 };
const BUSY_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TimeoutError',
]);

class StillBusy extends Error {}

function isBusy(err: unknown): boolean {
  // CONCURRENT_UPDATE (503): the row lost to other writes for longer than its retries; nothing of it was written.
  if (err instanceof DomainError) return ERROR_CATALOG[err.code].status === 503;
  const name = (err as { name?: string } | undefined)?.name ?? '';
  const reasons = (err as { CancellationReasons?: { Code?: string }[] } | undefined)?.CancellationReasons ?? [];
  return BUSY_NAMES.has(name) || reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded');
}

/** The member id a row without one is enrolled under: the same key, the same member. */
export function importedMemberId(key: string): string {
  return `imp-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

const rowError = (err: DomainError): RowError => ({
  status: ERROR_CATALOG[err.code].status,
  code: err.code,
  message: err.message,
  details: err.details ?? [],
});

async function importRow(deps: ClubDeps, raw: unknown, key: string, actor: string): Promise<ImportRowResult> {
  const parsed = ImportMemberRow.safeParse(raw);
  if (!parsed.success) return { key, status: 'failed', error: rowError(validationError(parsed.error, 'body')) };
  const { key: _key, points = 0, ...enrol } = parsed.data as z.output<typeof ImportMemberRow>;
  const memberId = enrol.memberId ?? importedMemberId(key);

  let status: 'created' | 'existing';
  try {
    await enrolMember(deps, { ...enrol, memberId });
    status = 'created';
  } catch (err) {
    if (!(err instanceof DomainError) || isBusy(err)) throw err;
    if (err.code !== 'ALREADY_EXISTS' || err.details?.[0]?.path !== 'memberId') return { key, status: 'failed', error: rowError(err) };
    // The member id is taken: by this row's first import, or (an id the file brings) by someone else.
    const existing: Member | undefined = await deps.store.getMember(memberId);
    if (enrol.memberId && existing && identityMismatches(enrol, existing).length > 0)
      return { key, status: 'failed', error: rowError(err) };
    status = 'existing';
  }
  if (points === 0) return { key, status, memberId };
  try {
    await adjust(deps, memberId, { points, reason: OPENING_BALANCE_REASON, idempotencyKey: OPENING_BALANCE_KEY, actor });
    return { key, status, memberId, openingBalance: points };
  } catch (err) {
    if (!(err instanceof DomainError) || isBusy(err)) throw err;
    return { key, status: 'failed', memberId, error: rowError(err) };
  }
}

type Prepared = { readonly i: number; readonly key: string; readonly points: number; readonly created: NewMember };

/**
 * The rows of the batch that can go in together: parsed, their members built
 * as of now with the opening balance decided (as adjust would), each identity
 * once. The others are answered (a bad row) or listed to go alone.
 */
async function prepare(deps: ClubDeps, rows: readonly unknown[], results: ImportRowResult[], actor: string) {
  const program = await deps.program();
  const now = deps.now();
  const together: Prepared[] = [];
  const alone: number[] = [];
  const seen = new Set<string>();
  rows.forEach((raw, i) => {
    const key = results[i]!.key;
    const parsed = ImportMemberRow.safeParse(raw);
    if (!parsed.success) {
      results[i] = { key, status: 'failed', error: rowError(validationError(parsed.error, 'body')) };
      return;
    }
    const { key: _key, points = 0, ...enrol } = parsed.data as z.output<typeof ImportMemberRow>;
    let member: Member;
    try {
      member = newMember(program, { ...enrol, memberId: enrol.memberId ?? importedMemberId(key) }, now);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      results[i] = { key, status: 'failed', error: rowError(err) };
      return;
    }
    // An identity a row before holds in this batch: after it, alone (the transaction can't hold one item twice).
    const ids = [`member ${member.memberId}`, ...claimsOf(member).map((c) => `${c.kind} ${c.value}`)];
    if (ids.some((id) => seen.has(id))) {
      alone.push(i);
      return;
    }
    for (const id of ids) seen.add(id);
    if (points === 0) {
      together.push({ i, key, points, created: { member } });
      return;
    }
    const decision = decideAdjust(
      member,
      { points, reason: OPENING_BALANCE_REASON, idempotencyKey: OPENING_BALANCE_KEY, actor },
      program,
      now,
    );
    const entry = {
      ...decision.entry,
      entryId: newId(now.getTime()),
      memberId: member.memberId,
      at: now.toISOString(),
      seq: member.seq + 1,
      balanceAfter: decision.next.balance,
    };
    together.push({
      i,
      key,
      points,
      created: {
        member: { ...member, ...decision.next, seq: entry.seq },
        opening: { ref: { kind: 'adjust', memberId: member.memberId, key: OPENING_BALANCE_KEY }, entry },
      },
    });
  });
  return { together, alone };
}

/**
 * The rows, answered in the order given: those that fit together in few
 * transactions, then the rest `concurrency` at a time. Rows not started when
 * shouldStop says so, or still throttled after the retries, are answered
 * not-attempted: sending them again is safe, by their keys.
 */
export async function importMembers(
  deps: ClubDeps,
  rows: readonly { readonly key: string }[],
  options: ImportOptions,
): Promise<ImportRowResult[]> {
  const results: ImportRowResult[] = rows.map((r) => ({ key: r.key, status: 'not-attempted' }));
  if (options.shouldStop()) return results;
  const { together, alone } = await prepare(deps, rows, results, options.actor);
  const outcomes =
    together.length > 0
      ? await deps.store.createMembers(
          together.map((p) => p.created),
          options.shouldStop,
        )
      : [];
  const created: Prepared[] = [];
  together.forEach((p, j) => {
    if (outcomes[j] !== 'created') {
      alone.push(p.i);
      return;
    }
    created.push(p);
    results[p.i] = {
      key: p.key,
      status: 'created',
      memberId: p.created.member.memberId,
      ...(p.points > 0 && { openingBalance: p.points }),
    };
  });
  // What the one-by-one path does after its commits: the sign-up bonuses. (The opening entries'
  // events come off the table's stream, like every committed ledger entry's.)
  for (const p of created) await afterProfile(deps, p.created.member, true);
  await importAlone(
    deps,
    alone.sort((a, b) => a - b),
    rows,
    results,
    options,
  );
  return results;
}

/** Rows by themselves, `concurrency` at a time: the exact answer of one enrolment (and adjustment) each. */
async function importAlone(
  deps: ClubDeps,
  indexes: readonly number[],
  rows: readonly { readonly key: string }[],
  results: ImportRowResult[],
  options: ImportOptions,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < indexes.length && !options.shouldStop()) {
      const i = indexes[next++]!;
      const row = rows[i]!;
      try {
        results[i] = await withRetries(
          BUSY,
          async (n) => {
            // A retry is a new start: not once the request must answer.
            if (n > 1 && options.shouldStop()) throw new StillBusy();
            try {
              return await importRow(deps, row, row.key, options.actor);
            } catch (err) {
              if (isBusy(err)) return AGAIN;
              throw err;
            }
          },
          () => new StillBusy(),
        );
      } catch (err) {
        if (!(err instanceof StillBusy)) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, indexes.length) }, worker));
}
