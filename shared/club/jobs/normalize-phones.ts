/**
 * normalize-phones: a one-off maintenance job run by hand (not on a schedule).
 * Phones used to be kept as typed, claimed by their digits, so `09121234567`
 * and `+989121234567` could be two members' phones. This moves every member's
 * phone (and its claim) to E.164 by the program's phone region. When the E.164
 * form is another member's claim, the two are one number held by two members:
 * the job reports them (`conflicts`) and changes neither; staff decide, the job
 * never merges members. A phone that is no phone in the region is reported too
 * (`unreadable`) and left as it is.
 *
 * Walks the member directory page by page (no Scan); a member already in
 * E.164 is skipped, so a second run changes nothing. Stops when told with a
 * continuation (the directory cursor) that resumes at the next page.
 */
import { DomainError } from '../../domain/errors';
import { normalizePhone, phoneRegionOf } from '../../domain/phone';
import type { Member } from '../../domain/member';
import { decodeDirectoryCursor } from '../../store/member-directory';
import type { JobDeps, JobInput, JobResult } from './job-runner';

export const NORMALIZE_PHONES = 'normalize-phones';

const PAGE_SIZE = 100;
/** Conflicts and unreadable phones listed in one run's answer; the counts are complete. */
const LISTED = 50;

/** The directory cursor of the next page; none: from the start. */
function encodePosition(cursor: string | undefined): string {
  return Buffer.from(JSON.stringify({ job: NORMALIZE_PHONES, c: cursor })).toString('base64url');
}

function decodePosition(token: string): string | undefined {
  try {
    const p = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { job?: unknown; c?: unknown };
    if (p && p.job === NORMALIZE_PHONES && (p.c === undefined || typeof p.c === 'string')) {
      if (p.c !== undefined) decodeDirectoryCursor(p.c);
      return p.c;
    }
  } catch {
    // refused below
  }
  throw new DomainError('INVALID_CONTINUATION', `continuation is not one ${NORMALIZE_PHONES} returned`, [
    { path: 'continuation', message: 'unknown continuation' },
  ]);
}

export interface PhoneConflict {
  readonly phone: string;
  /** The member whose phone could not move, then the member already holding its E.164 form. */
  readonly memberIds: readonly string[];
}

type Outcome = 'unchanged' | 'moved' | { conflict: PhoneConflict } | { unreadable: string };

async function normalizeOne(deps: JobDeps, first: Member, region: string | undefined): Promise<Outcome> {
  let member: Member | undefined = first;
  for (let attempt = 0; attempt < 3 && member?.phone; attempt++) {
    const normalized = normalizePhone(member.phone, region);
    if (!normalized.ok) return { unreadable: normalized.reason };
    if (normalized.e164 === member.phone) return 'unchanged';
    const outcome = await deps.store.updateProfile(member, { ...member, phone: normalized.e164 }, deps.now().toISOString());
    if (outcome === 'updated') return 'moved';
    if (outcome !== 'member-changed') {
      const holder = await deps.store.findMemberIdByClaim({ kind: 'phone', value: normalized.e164 });
      return {
        conflict: { phone: normalized.e164, memberIds: [member.memberId, ...(holder && holder !== member.memberId ? [holder] : [])] },
      };
    }
    member = await deps.store.getMember(member.memberId);
  }
  return 'unchanged';
}

export async function normalizePhones(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const directory = deps.memberDirectory;
  const region = phoneRegionOf(await deps.program());
  let cursor: string | undefined = input.continuation ? decodePosition(input.continuation) : undefined;
  const totals = { processed: 0, examined: 0, failed: 0, conflicted: 0, unreadablePhones: 0 };
  const conflicts: PhoneConflict[] = [];
  const unreadable: { memberId: string; phone: string; reason: string }[] = [];
  const errors: string[] = [];
  let done = false;
  while (!done) {
    if (input.shouldStop?.()) break;
    const page = await directory.list({ limit: input.pageSize ?? PAGE_SIZE, cursor });
    for (const member of page.items) {
      totals.examined++;
      if (!member.phone) continue;
      try {
        const outcome = await normalizeOne(deps, member, region);
        if (outcome === 'moved') totals.processed++;
        else if (outcome === 'unchanged') continue;
        else if ('conflict' in outcome) {
          totals.conflicted++;
          if (conflicts.length < LISTED) conflicts.push(outcome.conflict);
        } else {
          totals.unreadablePhones++;
          if (unreadable.length < LISTED) unreadable.push({ memberId: member.memberId, phone: member.phone, reason: outcome.unreadable });
        }
      } catch (err) {
        totals.failed++;
        if (errors.length < 5) errors.push(`${member.memberId}: ${(err as Error).message}`);
      }
    }
    cursor = page.nextCursor;
    done = cursor === undefined;
  }
  return {
    job: NORMALIZE_PHONES,
    asOf: input.asOf.toISOString(),
    ...totals,
    conflicts,
    unreadable,
    ...(errors.length ? { errors } : {}),
    complete: done,
    ...(!done && { continuation: encodePosition(cursor) }),
  };
}
