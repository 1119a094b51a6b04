import { randomBytes } from 'node:crypto';

/**
 * Crockford's base32 alphabet: no I, L, O or U, so ids and codes read aloud and
 * typed by hand survive. The club's one base32: ids, reward codes, referral codes.
 */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** One character per byte, from its low 5 bits: `length` bytes of randomness or of a digest. */
export function base32(bytes: Uint8Array, length: number): string {
  if (bytes.length < length) throw new Error(`base32 needs ${length} bytes, got ${bytes.length}`);
  let s = '';
  for (let i = 0; i < length; i++) s += CROCKFORD[bytes[i]! & 31];
  return s;
}

/** `length` random characters: 5 bits each. */
export function randomBase32(length: number): string {
  return base32(randomBytes(length), length);
}

/** A ULID: sortable by creation time, 80 random bits, safe in URLs and keys. */
export function newId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  return time + randomBase32(16);
}
