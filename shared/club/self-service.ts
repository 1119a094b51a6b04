/**
 * A member looks after their own profile (PATCH /v1/me): name, birthday and
 * language through the same edit staff make (uniqueness, the profile bonus); a
 * new email or phone is kept only once a one-time code sent to it is confirmed
 * (shared/club/contact-change.ts), so whoever holds a link can't move the
 * member's sign-in and messages to an address they don't own.
 */
import { profileComplete, type Member } from '../domain/member';
import { programRunsFor, type Program } from '../domain/program';
import type { AutomationStore } from '../store/automation-store';
import { BONUS_KEYS } from './bonuses';
import { requestContactChange, type ContactVerification } from './contact-change';
import type { ClubDeps } from './deps';
import { editProfile, type ProfilePatch } from './members';
import { setNotificationPrefs } from './notification-prefs';
import type { SignInDeps } from './sign-in';

export interface OwnProfileChange {
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly birthday?: string | null;
  readonly language?: 'fa' | 'en';
}

type Deps = SignInDeps & { readonly automation: AutomationStore };

/**
 * The member after their edit, and where a code went when the edit names a new
 * email or phone. The new address is checked (form, region, another member's: 409)
 * and its code sent before anything is written, so a refusal writes nothing.
 */
export async function updateOwnProfile(
  deps: Deps,
  member: Member,
  change: OwnProfileChange,
  client: string,
): Promise<{ member: Member; verification?: ContactVerification }> {
  const verification = await requestContactChange(deps, member, change, client);
  const patch: { -readonly [K in 'name' | 'birthday']?: string | null } = {};
  if (change.name !== undefined) patch.name = change.name;
  if (change.birthday !== undefined) patch.birthday = change.birthday;
  const next = Object.keys(patch).length > 0 ? await editProfile(deps, member.memberId, patch as ProfilePatch) : member;
  if (change.language !== undefined) await setNotificationPrefs(deps, member.memberId, { language: change.language });
  return { member: next, ...(verification && { verification }) };
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
