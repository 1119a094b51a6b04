import { concurrentUpdate, DomainError, notFound } from '../domain/errors';
import { DEFAULT_TIER, type Claim, type Member, type MemberProfile } from '../domain/member';
import { normalizePhone, phoneRegionOf } from '../domain/phone';
import type { Program } from '../domain/program';
import { newId } from '../ids';
import type { LedgerPage } from '../store/club-store';
import { afterProfile } from './bonuses';
import type { ClubDeps } from './deps';
import { AGAIN, withRetries, type RetryPolicy } from '../retry';
import { COMMIT_RESERVE_MS } from './balance-change';

const CLAIM_LABEL: Record<Claim['kind'], string> = {
  email: 'email',
  phone: 'phone',
  shopify: 'externalIds.shopify',
  woocommerce: 'externalIds.woocommerce',
};

export function alreadyClaimed(claim: Claim): DomainError {
  return new DomainError('ALREADY_EXISTS', `${CLAIM_LABEL[claim.kind]} belongs to another member`, [
    { path: CLAIM_LABEL[claim.kind], message: 'already held by another member' },
  ]);
}

/** A phone as typed, in E.164 by the program's phone region; or a 400 naming the field and the form expected. */
export function programPhone(program: Pick<Program, 'currency' | 'phoneRegion'>, phone: string, path = 'phone'): string {
  const normalized = normalizePhone(phone, phoneRegionOf(program));
  if (normalized.ok) return normalized.e164;
  throw new DomainError('VALIDATION_FAILED', `${path} is not a phone number`, [{ path, message: normalized.reason }]);
}

export interface EnrolRequest extends Partial<Omit<MemberProfile, 'externalIds'>> {
  readonly memberId?: string;
  readonly externalIds?: MemberProfile['externalIds'];
}

/** The member an enrolment creates, as of `now`; a phone the program's region can't read is a 400. */
export function newMember(program: Pick<Program, 'currency' | 'phoneRegion'>, req: EnrolRequest, at: Date): Member {
  const now = at.toISOString();
  const { memberId, externalIds, ...profile } = req;
  return {
    ...profile,
    // Stored in E.164, so every form of one phone is one claim.
    ...(profile.phone !== undefined && { phone: programPhone(program, profile.phone) }),
    memberId: memberId ?? newId(),
    externalIds: externalIds ?? {},
    tier: DEFAULT_TIER,
    balance: 0,
    lifetimePoints: 0,
    lots: [],
    joinedAt: now,
    lastActivityAt: now,
    seq: 0,
    profileVersion: 1,
  };
}

export async function enrolMember(deps: ClubDeps, req: EnrolRequest): Promise<Member> {
  const member = newMember(await deps.program(), req, deps.now());
  const outcome = await deps.store.createMember(member);
  if (outcome === 'created') {
    // Sign-up (and a complete profile) bonuses: their own ledger entries, once each.
    if (await afterProfile(deps, member, true)) return (await deps.store.getMember(member.memberId)) ?? member;
    return member;
  }
  if (outcome.conflict === 'member') {
    throw new DomainError('ALREADY_EXISTS', `member ${member.memberId} already exists`, [{ path: 'memberId', message: 'already exists' }]);
  }
  throw alreadyClaimed(outcome.conflict);
}

export async function getMember(deps: ClubDeps, memberId: string): Promise<Member> {
  const member = await deps.store.getMember(memberId);
  if (!member) throw notFound('member', memberId, 'MEMBER_NOT_FOUND');
  return member;
}

export async function findMembers(deps: ClubDeps, claim: Claim): Promise<Member[]> {
  const memberId = await deps.store.findMemberIdByClaim(claim);
  if (!memberId) return [];
  const member = await deps.store.getMember(memberId);
  return member ? [member] : [];
}

/** Profile fields to set, and null for those to clear. */
export type ProfilePatch = {
  readonly [K in 'email' | 'phone' | 'name' | 'birthday' | 'channel']?: string | null;
} & {
  readonly tags?: readonly string[] | null;
  readonly externalIds?: { readonly shopify?: string | null; readonly woocommerce?: string | null };
};

function applyPatch(member: Member, patch: ProfilePatch): Member {
  const next: Record<string, unknown> = { ...member };
  for (const field of ['email', 'phone', 'name', 'birthday', 'channel'] as const) {
    if (patch[field] === null) delete next[field];
    else if (patch[field] !== undefined) next[field] = patch[field];
  }
  if (patch.tags === null) delete next.tags;
  else if (patch.tags !== undefined) next.tags = [...new Set(patch.tags)];
  if (patch.externalIds) {
    const ids: Record<string, string> = { ...member.externalIds };
    for (const key of ['shopify', 'woocommerce'] as const) {
      const v = patch.externalIds[key];
      if (v === null) delete ids[key];
      else if (v !== undefined) ids[key] = v;
    }
    next.externalIds = ids;
  }
  return next as unknown as Member;
}

/** A profile edit that lost to another write reads the member again and re-applies the patch. */
const PROFILE_RACES: RetryPolicy = { attempts: 10, baseMs: 5, capMs: 100 };

/** The staff edit: a phone as typed is read in the program's phone region first. */
export async function updateMember(deps: ClubDeps, memberId: string, patch: ProfilePatch): Promise<Member> {
  if (typeof patch.phone === 'string') patch = { ...patch, phone: programPhone(await deps.program(), patch.phone) };
  return editProfile(deps, memberId, patch);
}

/**
 * The edit itself, for a patch whose phone (if any) is already E.164: the claims'
 * uniqueness in one transaction, then the profile bonus. The member's own edit
 * (PATCH /v1/me, no phone) comes here directly, so the member page's function
 * doesn't carry the phone metadata.
 */
export async function editProfile(deps: ClubDeps, memberId: string, patch: ProfilePatch): Promise<Member> {
  return withRetries(
    { ...PROFILE_RACES, deadline: { remainingMs: deps.remainingMs, reserveMs: COMMIT_RESERVE_MS } },
    async () => {
      const member = await getMember(deps, memberId);
      const next = applyPatch(member, patch);
      const outcome = await deps.store.updateProfile(member, next, deps.now().toISOString());
      if (outcome === 'updated') {
        if (await afterProfile(deps, next, false)) return getMember(deps, memberId);
        return { ...next, profileVersion: member.profileVersion + 1 };
      }
      if (outcome !== 'member-changed') throw alreadyClaimed(outcome.conflict);
      return AGAIN;
    },
    () => concurrentUpdate(`member ${memberId} is being changed by someone else; nothing was written, send it again`),
  );
}

export async function memberLedger(deps: ClubDeps, memberId: string, page: { limit: number; cursor?: string }): Promise<LedgerPage> {
  await getMember(deps, memberId);
  return deps.store.listLedger(memberId, page);
}
