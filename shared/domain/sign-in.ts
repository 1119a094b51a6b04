/**
 * The member page's one-time-code sign-in, as rules: how long a code lives,
 * how many tries it takes, the rate limits and their fixed windows, and what a
 * code check decides. No I/O: shared/club/sign-in.ts reads, decides and writes.
 */

export const SIGN_IN_CODE_TTL_SECONDS = 10 * 60;
/** Wrong tries a code takes; the next one finds it dead, even with the right code. */
export const SIGN_IN_MAX_TRIES = 5;

/** The window every limit counts in, and what each allows in one window. */
export const RATE_WINDOW_SECONDS = 15 * 60;
export const SIGN_IN_LIMITS = {
  /** Codes sent to one phone or email: SMS cost money and a flood annoys the member. */
  perAddress: 5,
  /** Sign-ins from one client (source IP), over any number of addresses. */
  perClient: 20,
  /** Code checks for one phone or email: beyond a code's own 5 tries, across new codes. */
  verifyPerAddress: 10,
  /** Code checks from one client. */
  verifyPerClient: 30,
} as const;

/** The window the daily SMS cap counts in: a UTC day. */
export const SMS_DAY_SECONDS = 24 * 60 * 60;

/**
 * Why an SMS code may not go to this phone, or undefined when it may: a program
 * with a phone region sends codes only to that region's numbers (SMS abroad
 * costs more and is where toll fraud floods come from); a program without one
 * (phoneRegion null, or none by its currency) sends to any, held back by the
 * per-country window alone.
 */
export function smsRegionRefusal(programRegion: string | undefined, phone: { readonly region?: string } | undefined): string | undefined {
  if (!programRegion || phone?.region === programRegion) return undefined;
  return `sign-in codes go only to phones of the program's phone region ${programRegion}; this number is ${phone?.region ? `of ${phone.region}` : 'of no region'}. Sign in with your email instead.`;
}

export interface FixedWindow {
  /** ISO start: the counter item's key. */
  readonly start: string;
  /** Seconds until the next window starts: the Retry-After of a refusal. */
  readonly secondsLeft: number;
  /** Epoch seconds the counter may be removed: the end, with a minute's slack. */
  readonly removeAfter: number;
}

/** The fixed window `now` falls in (windows start at multiples of their length since the epoch). */
export function fixedWindow(now: Date, seconds = RATE_WINDOW_SECONDS): FixedWindow {
  const nowS = Math.floor(now.getTime() / 1000);
  const startS = nowS - (nowS % seconds);
  return {
    start: new Date(startS * 1000).toISOString(),
    secondsLeft: Math.max(1, startS + seconds - nowS),
    removeAfter: startS + seconds + 60,
  };
}

export interface CodeState {
  readonly expiresAt: string;
  readonly tries: number;
  readonly usedAt?: string;
}

/**
 * What a code check decides: `accept` (right, live), `wrong` (a live code, not
 * this one: a try is counted) or `refuse` (no code, expired, used or dead: the
 * same 401, nothing counted). Expiry is checked here because TTL removal is lazy.
 */
export function decideCodeCheck(code: CodeState | undefined, matches: boolean, now: Date): 'accept' | 'wrong' | 'refuse' {
  if (!code || code.usedAt || code.tries >= SIGN_IN_MAX_TRIES || Date.parse(code.expiresAt) <= now.getTime()) return 'refuse';
  return matches ? 'accept' : 'wrong';
}

/**
 * A new address as the member page shows where a code went: enough to spot a typo,
 * not the whole address (the answer may sit in logs). `s***@example.com`,
 * `+98912*****67`.
 */
export function maskAddress(channel: 'email' | 'phone', address: string): string {
  if (channel === 'email') {
    const at = address.lastIndexOf('@');
    return `${address.slice(0, Math.min(1, at))}***${address.slice(at)}`;
  }
  const shown = Math.min(6, Math.max(0, address.length - 2));
  return `${address.slice(0, shown)}${'*'.repeat(Math.max(0, address.length - shown - 2))}${address.slice(-2)}`;
}
