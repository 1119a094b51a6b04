/**
 * What a typed referral code means. Pure, so the request schema can canonicalise
 * `referredBy` before anything checks its shape, and the use case can look the
 * code up in the same form it was stored in.
 */

/** Spaces (incl. no-break and zero-width ones a Persian keyboard adds) and every kind of dash people type between the halves. */
const SEPARATORS = /[\s\u200b-\u200d\u2060\u00ad\u2010-\u2015\u2212\uFE58\uFE63\uFF0D-]/g;

/** Persian (U+06F0…) and Arabic-Indic (U+0660…) digits as ASCII: a phone in fa or ar types those. */
const asciiDigits = (text: string) =>
  text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - (d >= '\u06F0' ? 0x06f0 : 0x0660)));

/**
 * A code as people type it → its canonical form (`K7M2-QX9P`: four characters, a dash, four more), or undefined when it isn't one:
 * case, spaces and dashes don't matter, full-width and Persian/Arabic digits are digits,
 * and O/I/L read as 0/1/1.
 */
export function normalizeCode(text: string): string | undefined {
  const raw = asciiDigits(text.normalize('NFKC')).toUpperCase().replace(SEPARATORS, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(raw)) return undefined;
  return `${raw.slice(0, 4)}-${raw.slice(4)}`;
}
