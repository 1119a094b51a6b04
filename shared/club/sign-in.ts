/**
 * Members sign in on their page with a one-time code sent to their phone or
 * email (docs/pages.md). Nothing here may tell a caller whether a member has
 * the address: the answer, its wording and the DynamoDB work are the same
 * either way (an address nobody has gets a code item too, whose code is never
 * sent), and the answer waits for a common floor so a send does not show in
 * its timing. The code is kept only as an HMAC with the portal secret: six
 * digits are too few to survive a plain hash, and a leaked table then holds
 * nothing usable.
 */
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SignInConfig } from '../config';
import { DomainError } from '../domain/errors';
import { normalizeEmail, phoneDigits, toAsciiDigits } from '../domain/member';
import { phoneCountry, phoneRegionOf } from '../domain/phone';
import {
  decideCodeCheck,
  fixedWindow,
  SIGN_IN_CODE_TTL_SECONDS,
  SIGN_IN_LIMITS,
  SIGN_IN_MAX_TRIES,
  SMS_DAY_SECONDS,
  smsRegionRefusal,
} from '../domain/sign-in';
import { logger } from '../lambda';
import type { Channel, MessageSender } from '../notify/senders';
import type { Language } from '../notify/templates';
import { issuePortalToken } from '../portal/token';
import type { AutomationStore } from '../store/automation-store';
import type { SignInAddress, SignInStore, StoredSignInCode } from '../store/sign-in-store';
import type { ClubDeps } from './deps';
import { enrolMember, programPhone } from './members';

/** The club's own dependencies (a self-service sign-up enrols through them), and the sign-in's. */
export interface SignInDeps extends ClubDeps {
  readonly signIns: SignInStore;
  /** The member's chosen language for messages. */
  readonly prefs: Pick<AutomationStore, 'getPrefs'>;
  /** SES and the SMS panel on AWS, the outbox locally. */
  readonly senders: Partial<Record<Channel, MessageSender>>;
  /** The portal links' signing key: it signs the session token and keys the code's HMAC. */
  readonly secret: () => Promise<string>;
  readonly tokenTtlSeconds: () => number;
  /** The per-country window and the daily SMS cap (LOYALTY_SIGN_IN_*), read per request. */
  readonly limits: () => SignInConfig;
  /** The daily SMS cap held a code back: on AWS a metric the cap's alarm watches. */
  readonly smsCapReached: () => void;
}

export interface SignInRequest {
  readonly phone?: string;
  readonly email?: string;
}

/** How long every sign-in answer takes at least, so a code sent does not show in the timing. */
const ANSWER_FLOOR_MS = 300;
/** The prefs read for an address nobody has: the same read, of nothing. */
const NOBODY = '-';

const WORDS: Record<Language, { subject: string; text: (code: string) => string }> = {
  en: { subject: 'Your sign-in code', text: (code) => `Your club sign-in code is ${code}. It works for 10 minutes. Never share it.` },
  fa: {
    subject: 'کد ورود شما',
    text: (code) => `کد ورود شما به باشگاه مشتریان: ${code}\nاین کد ۱۰ دقیقه معتبر است. آن را به کسی ندهید.`,
  },
};
const faDigits = (s: string) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);

async function addressOf(deps: SignInDeps, req: SignInRequest): Promise<SignInAddress> {
  if (req.email !== undefined) return { channel: 'email', address: normalizeEmail(req.email) };
  return { channel: 'phone', address: programPhone(await deps.program(), req.phone ?? '') };
}

export async function limit(deps: SignInDeps, scope: string, subject: string, allowed: number): Promise<void> {
  const window = fixedWindow(deps.now());
  const counted = await deps.signIns.count(scope, subject, { start: window.start, removeAfter: window.removeAfter }, allowed);
  if (counted === 'over') {
    throw new DomainError('TOO_MANY_REQUESTS', 'too many attempts; try again later', [], window.secondsLeft);
  }
}

function codeHash(secret: string, to: SignInAddress, codeId: string, code: string): string {
  return createHmac('sha256', secret)
    .update(`loyalty-sign-in.v1.${to.channel}.${to.address}.${to.changeFor ? `change.${to.changeFor}.` : ''}${codeId}.${code}`)
    .digest('base64url');
}

const invalid = () => new DomainError('SIGN_IN_CODE_INVALID', 'the code is wrong or has expired; ask for a new one');

async function atLeast<T>(ms: number, work: Promise<T>): Promise<T> {
  const floor = new Promise((resolve) => setTimeout(resolve, ms));
  const [out] = await Promise.all([work, floor]);
  return out;
}

/** POST /v1/portal/sign-in: a code to the member who has the address, if one has; the same answer if none. */
export async function requestSignInCode(deps: SignInDeps, req: SignInRequest, client: string): Promise<void> {
  // Malformed input is refused before anything is counted or written.
  const to = await addressOf(deps, req);
  const country = to.channel === 'phone' ? phoneCountry(to.address) : undefined;
  if (to.channel === 'phone') {
    const refusal = smsRegionRefusal(phoneRegionOf(await deps.program()), country);
    if (refusal)
      throw new DomainError('VALIDATION_FAILED', 'phone is outside the region sign-in codes go to', [{ path: 'phone', message: refusal }]);
  }
  await limit(deps, 'sign-in-client', client, SIGN_IN_LIMITS.perClient);
  await limit(deps, 'sign-in', `${to.channel}#${to.address}`, SIGN_IN_LIMITS.perAddress);
  // Toll fraud floods one country's numbers from many clients: a window per calling code.
  if (country) await limit(deps, 'sign-in-country', `+${country.callingCode}`, deps.limits().perCountry);
  await atLeast(ANSWER_FLOOR_MS, sendCode(deps, to));
}

async function sendCode(deps: SignInDeps, to: SignInAddress): Promise<void> {
  const memberId = await deps.store.findMemberIdByClaim({ kind: to.channel, value: to.address });
  const prefs = await deps.prefs.getPrefs(memberId ?? NOBODY);
  const program = await deps.program();
  // A program that lets customers join here sends the code to anyone; otherwise only members get one.
  const enrol = !memberId && program.enrolment?.selfService === true;
  const { code, codeId } = await putNewCode(deps, to, { ...(memberId && { memberId }), ...(enrol && { enrol }) });
  if (!memberId && !enrol) return;
  const language: Language = prefs?.language ?? program.automation.defaultLanguage;
  try {
    await deliverCode(deps, to, { code, codeId, language, words: WORDS[language], purpose: 'sign-in' });
  } catch (err) {
    // The answer stays 202: a failed send must not tell the caller a member exists.
    logger.error('sign-in code not sent', { channel: to.channel, error: err as Error });
  }
}

/** A new one-time code for the address (replacing its last one), kept only as its HMAC; the code itself for sending. */
export async function putNewCode(
  deps: SignInDeps,
  to: SignInAddress,
  owner: { readonly memberId?: string; readonly enrol?: boolean },
): Promise<{ code: string; codeId: string }> {
  const now = deps.now();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const codeId = randomUUID();
  const expiresAt = new Date(now.getTime() + SIGN_IN_CODE_TTL_SECONDS * 1000);
  await deps.signIns.putCode(
    to,
    { codeId, codeHash: codeHash(await deps.secret(), to, codeId, code), expiresAt: expiresAt.toISOString(), tries: 0, ...owner },
    Math.floor(expiresAt.getTime() / 1000) + 60,
  );
  return { code, codeId };
}

export interface CodeMessage {
  readonly code: string;
  readonly codeId: string;
  readonly language: Language;
  readonly words: { readonly subject: string; readonly text: (code: string) => string };
  /** The message's reference prefix: what the outbox and the panel's logs show it was for. */
  readonly purpose: string;
}

/** Sends a code by SMS or email; an SMS only under the day's cap. Nothing is sent without a sender for the channel. */
export async function deliverCode(deps: SignInDeps, to: SignInAddress, message: CodeMessage): Promise<'sent' | 'no-sender' | 'capped'> {
  const channel: Channel = to.channel === 'phone' ? 'sms' : 'email';
  const sender = deps.senders[channel];
  if (!sender) {
    logger.warn('one-time code not sent: no sender for the channel', { channel, purpose: message.purpose });
    return 'no-sender';
  }
  if (channel === 'sms' && !(await underDailySmsCap(deps))) return 'capped';
  await sender.send({
    to: to.channel === 'phone' ? phoneDigits(to.address) : to.address,
    subject: message.words.subject,
    text: message.words.text(message.language === 'fa' ? faDigits(message.code) : message.code),
    reference: `${message.purpose}:${message.codeId}:${channel}`,
  });
  return 'sent';
}

/**
 * Counts one SMS code against the day's cap: past it the code is not sent (the
 * answer stays 202 {}, telling nobody anything) and the alarm is told. Only codes
 * really sent count, so a flood of unknown numbers can't use up members' codes.
 */
async function underDailySmsCap(deps: SignInDeps): Promise<boolean> {
  const day = fixedWindow(deps.now(), SMS_DAY_SECONDS);
  const cap = deps.limits().dailySmsCap;
  if ((await deps.signIns.count('sign-in-sms-day', 'all', day, cap)) === 'counted') return true;
  logger.warn('sign-in code not sent: the daily SMS cap is reached', { cap });
  deps.smsCapReached();
  return false;
}

/** POST /v1/portal/verify: the right, live code for a member's address → a portal session token. */
export async function verifySignInCode(
  deps: SignInDeps,
  req: SignInRequest & { readonly code: string; readonly referredBy?: string },
  client: string,
): Promise<{ token: string; expiresAt: string }> {
  const to = await addressOf(deps, req);
  const stored = await useCode(deps, to, req.code, client);
  const memberId = stored.memberId ?? (stored.enrol ? await signUp(deps, to, req.referredBy) : undefined);
  if (!memberId) throw invalid();
  return issuePortalToken(await deps.secret(), memberId, deps.now(), deps.tokenTtlSeconds());
}

/**
 * Checks a code against the address's live one and uses it up: the verify windows
 * (per client, per address), 5 tries, expiry, once only. Any failure is the same
 * refusal (401 SIGN_IN_CODE_INVALID for a sign-in).
 */
export async function useCode(
  deps: SignInDeps,
  to: SignInAddress,
  code: string,
  client: string,
  refused: () => DomainError = invalid,
): Promise<StoredSignInCode> {
  await limit(deps, 'verify-client', client, SIGN_IN_LIMITS.verifyPerClient);
  await limit(deps, 'verify', `${to.channel}#${to.address}`, SIGN_IN_LIMITS.verifyPerAddress);
  const stored = await deps.signIns.getCode(to);
  const now = deps.now();
  const given = Buffer.from(codeHash(await deps.secret(), to, stored?.codeId ?? NOBODY, toAsciiDigits(code)));
  const expected = Buffer.from(stored?.codeHash ?? '');
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  switch (decideCodeCheck(stored, matches, now)) {
    case 'refuse':
      throw refused();
    case 'wrong':
      await deps.signIns.wrongTry(to, stored!.codeId);
      throw refused();
    case 'accept':
      break;
  }
  // The update's condition, not the read above, makes a code good for one use only.
  if ((await deps.signIns.use(to, stored!.codeId, SIGN_IN_MAX_TRIES, now.toISOString())) !== 'used') throw refused();
  return stored!;
}

/**
 * A customer who proved the address joins (enrolment.selfService, checked again now:
 * the program may have changed since the code was sent). Enrolled like any member:
 * sign-up bonus, pilot gate, referredBy. Someone else enrolling the address meanwhile
 * makes this a sign-in to that member: the code proved the address either way.
 */
async function signUp(deps: SignInDeps, to: SignInAddress, referredBy: string | undefined): Promise<string | undefined> {
  if ((await deps.program()).enrolment?.selfService !== true) return undefined;
  try {
    const member = await enrolMember(deps, { [to.channel]: to.address, channel: 'club-page', ...(referredBy && { referredBy }) });
    return member.memberId;
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'ALREADY_EXISTS') throw err;
    return deps.store.findMemberIdByClaim({ kind: to.channel, value: to.address });
  }
}
