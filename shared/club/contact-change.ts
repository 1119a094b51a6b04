/**
 * A member changes their own email or phone (PATCH /v1/me, then POST
 * /v1/me/contact/verify): the new address is kept only once a one-time code sent
 * to it comes back, so whoever holds a member's link can't move their sign-in and
 * messages to an address they don't own. The codes, their HMAC, tries, expiry,
 * rate windows and SMS guards are the sign-in's (shared/club/sign-in.ts); the code
 * item is kept apart from the address's sign-in code, one per member
 * (contactChangeCodeKey), and the change itself is the staff edit's claim swap.
 */
import { DomainError } from '../domain/errors';
import { normalizeEmail, type Member } from '../domain/member';
import { phoneCountry, phoneRegionOf } from '../domain/phone';
import { fixedWindow, maskAddress, SIGN_IN_LIMITS, SMS_DAY_SECONDS, smsRegionRefusal } from '../domain/sign-in';
import type { Language } from '../notify/templates';
import type { SignInAddress } from '../store/sign-in-store';
import { alreadyClaimed, editProfile, programPhone } from './members';
import { deliverCode, limit, putNewCode, useCode, type SignInDeps } from './sign-in';

export interface NewContact {
  readonly email?: string;
  readonly phone?: string;
}

export interface ContactVerification {
  readonly channel: 'email' | 'phone';
  /** Masked: the page shows where the code went. */
  readonly sentTo: string;
}

const WORDS: Record<Language, { subject: string; text: (code: string) => string }> = {
  en: {
    subject: 'Confirm your new contact',
    text: (code) => `Your club confirmation code is ${code}. Enter it on your club page to keep this address. It works for 10 minutes.`,
  },
  fa: {
    subject: 'تأیید نشانی تازه',
    text: (code) => `کد تأیید باشگاه مشتریان: ${code}\nبرای ثبت این نشانی، آن را در صفحهٔ باشگاه وارد کنید. این کد ۱۰ دقیقه معتبر است.`,
  },
};

const invalid = () =>
  new DomainError('CONTACT_CODE_INVALID', 'the code is wrong or has expired; ask for a new one by saving the new address again');

/**
 * The new address as the member's claim would hold it, or undefined when it is the
 * one they have. A phone is read in the program's phone region and must be one the
 * region's SMS codes go to; another member's address is the staff edit's 409, before
 * any code is sent.
 */
async function newAddress(deps: SignInDeps, member: Member, change: NewContact, path: string): Promise<SignInAddress | undefined> {
  let to: SignInAddress;
  if (change.email !== undefined) {
    to = { channel: 'email', address: normalizeEmail(change.email), changeFor: member.memberId };
    if (to.address === normalizeEmail(member.email ?? '')) return undefined;
  } else if (change.phone !== undefined) {
    const program = await deps.program();
    to = { channel: 'phone', address: programPhone(program, change.phone, `${path}.phone`), changeFor: member.memberId };
    if (to.address === member.phone) return undefined;
    const refusal = smsRegionRefusal(phoneRegionOf(program), phoneCountry(to.address));
    if (refusal)
      throw new DomainError('VALIDATION_FAILED', 'phone is outside the region codes go to', [{ path: `${path}.phone`, message: refusal }]);
  } else {
    return undefined;
  }
  const holder = await deps.store.findMemberIdByClaim({ kind: to.channel, value: to.address });
  if (holder && holder !== member.memberId) throw alreadyClaimed({ kind: to.channel, value: to.address });
  return to;
}

/**
 * Sends a code to the member's new email or phone; undefined when the address is
 * the one they have (no change, nothing sent). The old address stays until the code
 * is confirmed. Counted in the sign-in's windows: per member, per address, per
 * client, per country for a phone, and the daily SMS cap.
 */
export async function requestContactChange(
  deps: SignInDeps,
  member: Member,
  change: NewContact,
  client: string,
): Promise<ContactVerification | undefined> {
  const to = await newAddress(deps, member, change, 'body');
  if (!to) return undefined;
  await limit(deps, 'sign-in-client', client, SIGN_IN_LIMITS.perClient);
  await limit(deps, 'sign-in', `${to.channel}#${to.address}`, SIGN_IN_LIMITS.perAddress);
  await limit(deps, 'contact-change', member.memberId, SIGN_IN_LIMITS.perAddress);
  const country = to.channel === 'phone' ? phoneCountry(to.address) : undefined;
  if (country) await limit(deps, 'sign-in-country', `+${country.callingCode}`, deps.limits().perCountry);
  const { code, codeId } = await putNewCode(deps, to, { memberId: member.memberId });
  const program = await deps.program();
  const language: Language = (await deps.prefs.getPrefs(member.memberId))?.language ?? program.automation.defaultLanguage;
  const sent = await deliverCode(deps, to, { code, codeId, language, words: WORDS[language], purpose: 'contact-change' });
  if (sent === 'capped') {
    // The member knows their own address: unlike a sign-in, telling them no code went out reveals nothing.
    throw new DomainError(
      'TOO_MANY_REQUESTS',
      'no more SMS codes can be sent today; try again tomorrow or change your email',
      [],
      fixedWindow(deps.now(), SMS_DAY_SECONDS).secondsLeft,
    );
  }
  return { channel: to.channel, sentTo: maskAddress(to.channel, to.address) };
}

/**
 * The code sent to the new address → the address is the member's: the staff edit's
 * one conditional transaction releases the old claim and takes the new one (409 if
 * another member took it meanwhile). Any bad code is 400 CONTACT_CODE_INVALID and
 * changes nothing.
 */
export async function confirmContactChange(
  deps: SignInDeps,
  member: Member,
  req: NewContact & { readonly code: string },
  client: string,
): Promise<Member> {
  const channel = req.email !== undefined ? 'email' : 'phone';
  const address = channel === 'email' ? normalizeEmail(req.email ?? '') : programPhone(await deps.program(), req.phone ?? '', 'body.phone');
  const to: SignInAddress = { channel, address, changeFor: member.memberId };
  await useCode(deps, to, req.code, client, invalid);
  return editProfile(deps, member.memberId, { [channel]: address });
}
