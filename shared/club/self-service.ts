/**
 * A member looks after their own profile (PATCH /v1/me): name, birthday and
 * language through the same edit staff make (uniqueness, the profile bonus);
 * a new email needs a one-time code the club does not send yet, so it is
 * refused rather than kept unverified — whoever holds a link could otherwise
 * move the member's sign-in and messages to an address they don't own.
 */
import { DomainError } from '../domain/errors';
import { normalizeEmail, type Member } from '../domain/member';
import { programRunsFor, type Program } from '../domain/program';
import type { AutomationStore } from '../store/automation-store';
import { BONUS_KEYS, profileComplete } from './bonuses';
import type { ClubDeps } from './deps';
import { alreadyClaimed, editProfile, type ProfilePatch } from './members';
import { setNotificationPrefs } from './notification-prefs';

export interface OwnProfileChange {
  readonly name?: string;
  readonly email?: string;
  readonly birthday?: string | null;
  readonly language?: 'fa' | 'en';
}

type Deps = ClubDeps & { readonly automation: AutomationStore };

/** The member after their edit; nothing is written when any part is refused. */
export async function updateOwnProfile(deps: Deps, member: Member, change: OwnProfileChange): Promise<Member> {
  const patch: { -readonly [K in 'name' | 'birthday']?: string | null } = {};
  if (change.email !== undefined && normalizeEmail(change.email) !== normalizeEmail(member.email ?? '')) {
    // Another member's email is a conflict whatever the verification says: the same 409 as a staff edit.
    const holder = await deps.store.findMemberIdByClaim({ kind: 'email', value: normalizeEmail(change.email) });
    if (holder && holder !== member.memberId) throw alreadyClaimed({ kind: 'email', value: change.email });
    throw new DomainError('VERIFICATION_REQUIRED', 'a new email is kept only once a one-time code sent to it is confirmed', [
      { path: 'body.email', message: 'not verified; ask the store to change it for now' },
    ]);
  }
  if (change.name !== undefined) patch.name = change.name;
  if (change.birthday !== undefined) patch.birthday = change.birthday;
  const next = Object.keys(patch).length > 0 ? await editProfile(deps, member.memberId, patch as ProfilePatch) : member;
  if (change.language !== undefined) await setNotificationPrefs(deps, member.memberId, { language: change.language });
  return next;
}

const PROFILE_FIELDS = ['email', 'phone', 'name', 'birthday'] as const;

/** What the member's profile lacks and what completing it pays: the "complete your profile" card. */
export async function profileCard(deps: ClubDeps, member: Member, program: Program) {
  const missing = PROFILE_FIELDS.filter((f) => !member[f]);
  const complete = profileComplete(member);
  // Never a promise the program won't keep: nothing outside a pilot, nothing paid twice.
  let bonusPoints = complete || !programRunsFor(program, member) ? 0 : program.bonuses.profileCompletion;
  if (bonusPoints > 0 && (await deps.store.getEntry({ kind: 'bonus', memberId: member.memberId, key: BONUS_KEYS.profileCompletion }))) {
    bonusPoints = 0;
  }
  return {
    email: member.email ?? null,
    phone: member.phone ?? null,
    birthday: member.birthday ?? null,
    complete,
    missing,
    bonusPoints,
  };
}
