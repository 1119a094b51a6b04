/**
 * Referral codes: short, unambiguous codes a member shares (e.g. "K7M2-QX9P").
 * A new member gives one as referredBy at enrolment (a member id works too);
 * the reward itself is in bonuses.ts.
 */
import { createHash } from 'node:crypto';
import { notFound } from '../domain/errors';
import { normalizeCode } from '../domain/referral-code';
import { base32 } from '../ids';
import type { ClubDeps } from './deps';

/** A code derived from the member id (and an attempt number on the rare collision): 40 bits, 8 characters. */
export function codeFor(memberId: string, attempt: number): string {
  const digest = createHash('sha256').update(`${memberId}#${attempt}`).digest();
  const code = base32(digest, 8);
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The member's code, made on first ask. */
export async function referralCode(deps: ClubDeps, memberId: string): Promise<string> {
  if (!(await deps.store.getMember(memberId))) throw notFound('member', memberId, 'MEMBER_NOT_FOUND');
  const store = deps.referrals;
  for (let attempt = 0; attempt < 20; attempt++) {
    const existing = await store.codeOf(memberId);
    if (existing) return existing;
    const outcome = await store.claim(memberId, codeFor(memberId, attempt));
    if (outcome !== 'taken') return (await store.codeOf(memberId))!;
  }
  throw new Error(`no free referral code for ${memberId}`);
}

/** The referrer a referredBy names: a member id, or a member's code. */
export async function resolveReferrer(deps: ClubDeps, referredBy: string): Promise<string | undefined> {
  if (await deps.store.getMember(referredBy)) return referredBy;
  const code = normalizeCode(referredBy);
  return code ? deps.referrals.ownerOf(code) : undefined;
}
