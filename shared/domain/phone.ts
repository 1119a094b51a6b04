/**
 * The one phone normalizer: every lookup, claim, import row, webhook customer
 * and the normalize-phones job turn what someone typed into E.164 here, so
 * `+98 912 123 4567`, `00989121234567`, `09121234567` and `۰۹۱۲۱۲۳۴۵۶۷` are one
 * phone (one claim) for a program whose phone region is Iran.
 *
 * libphonenumber-js's `min` metadata: every country's calling code, trunk prefix
 * and number lengths, which is all parsing and validating needs (`max` adds the
 * number types, mobile or fixed line, which the club never asks). It costs about
 * 118 KiB of bundle (docs/deploy.md).
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { toAsciiDigits } from './member';

/** Regions whose programs read national numbers by default, by program currency (Rial, and Toman as Iranian shops send it). */
const REGION_BY_CURRENCY: Readonly<Record<string, string>> = { IRR: 'IR', IRT: 'IR' };

/**
 * The region national numbers (`0912…`) are read in: the program's `phoneRegion`
 * when set (null: none), else the currency's country; none → only international
 * forms (`+…`, `00…`) are phones.
 */
export function phoneRegionOf(program: { readonly currency: string; readonly phoneRegion?: string | null }): string | undefined {
  if (program.phoneRegion !== undefined) return program.phoneRegion ?? undefined;
  return REGION_BY_CURRENCY[program.currency.toUpperCase()];
}

/** A region libphonenumber knows (ISO 3166-1 alpha-2): what a program may set. */
export const isPhoneRegion = (region: string): boolean => /^[A-Z]{2}$/.test(region) && isSupportedCountry(region);

export type NormalizedPhone = { readonly ok: true; readonly e164: string } | { readonly ok: false; readonly reason: string };

/** Separators people type inside a number; anything else (letters, a second +) makes it no phone. */
const SEPARATORS = /[\s\u00a0\u200c\u200e\u200f().\-\u2010-\u2015\u2212/]/g;

/** What a person typed, as E.164 in the program's region, or why it is no phone. */
export function normalizePhone(text: string, givenRegion: string | undefined): NormalizedPhone {
  // A region libphonenumber doesn't know reads nothing nationally: as none.
  const region = givenRegion && isPhoneRegion(givenRegion) ? givenRegion : undefined;
  const compact = toAsciiDigits(text.trim())
    .replace(SEPARATORS, '')
    .replace(/^\uff0b/, '+');
  const international = compact.startsWith('+') ? compact : compact.startsWith('00') ? `+${compact.slice(2)}` : undefined;
  const expected = region
    ? `an international number (+… or 00…) or a national one of ${region} (e.g. 0912 123 4567 in IR)`
    : 'an international number starting with + or 00 and the country code, e.g. +98 912 123 4567';
  if (!/^\+?\d+$/.test(compact))
    return {
      ok: false,
      reason: `not a phone number: only digits, spaces, dashes and brackets, with an optional leading +; expected ${expected}`,
    };
  if (international === undefined && !region) return { ok: false, reason: `a number without its country code; expected ${expected}` };
  const parsed = international ? parsePhoneNumberFromString(international) : parsePhoneNumberFromString(compact, region as CountryCode);
  if (!parsed?.isValid()) return { ok: false, reason: `not a valid phone number; expected ${expected}` };
  return { ok: true, e164: parsed.number };
}

/**
 * Whether what someone typed is the phone a member holds, read in that phone's
 * own country (a member's E.164 says which): how an import recognises a row it
 * enrolled before without knowing the program's region. A phone stored before
 * E.164 compares by its digits.
 */
export function samePhone(typed: string, held: string): boolean {
  const country = held.startsWith('+') ? parsePhoneNumberFromString(held)?.country : undefined;
  const normalized = normalizePhone(typed, country);
  if (normalized.ok && normalized.e164 === held) return true;
  const digits = (t: string) => toAsciiDigits(t).replace(/[^\d+]/g, '');
  return digits(typed) === digits(held);
}

/** An E.164 phone's country calling code (`98`) and, when the number says, its region (`IR`; none for +800 and the like). */
export function phoneCountry(e164: string): { readonly callingCode: string; readonly region?: string } | undefined {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return undefined;
  return { callingCode: parsed.countryCallingCode, ...(parsed.country && { region: parsed.country }) };
}
