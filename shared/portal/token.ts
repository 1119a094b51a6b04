/**
 * Members' portal links: a signed, short-lived token naming one member.
 *
 *   token = base64url(JSON {m: memberId, e: expiry (epoch s), n: nonce}) "." base64url(HMAC-SHA256)
 *
 * Signed rather than stored: links leave no items to clean up, and are minted
 * per visit by the store's backend. Staff withdraw a member's links by stamping
 * the member (portalLinksRevokedAt): a link issued (`i`, ms) up to then is
 * refused; rotating the portal secret revokes every link. Verification is
 * constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError, type ErrorCode } from '../domain/errors';

const DOMAIN = 'loyalty-portal.v1.';

export interface PortalClaims {
  readonly memberId: string;
  readonly expiresAt: string;
  /** When the link was issued; absent in links from before it was recorded (then any withdrawal covers them). */
  readonly issuedAt?: string;
}

function sign(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret)
    .update(DOMAIN + payload)
    .digest();
}

export function issuePortalToken(secret: string, memberId: string, now: Date, ttlSeconds: number): { token: string; expiresAt: string } {
  if (!secret) throw new Error('no portal secret configured');
  const exp = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const payload = Buffer.from(JSON.stringify({ m: memberId, e: exp, i: now.getTime(), n: randomBytes(12).toString('base64url') })).toString(
    'base64url',
  );
  return { token: `${payload}.${sign(secret, payload).toString('base64url')}`, expiresAt: new Date(exp * 1000).toISOString() };
}

const refused = (message: string, code: ErrorCode = 'PORTAL_LINK_INVALID') => new DomainError(code, message);

/** The member a token names, or a 401 when it is forged, malformed or expired. */
export function verifyPortalToken(secret: string, token: string, now: Date): PortalClaims {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || token.length > 2048) throw refused('this link is not valid');
  const [payload, given] = parts as [string, string];
  const expected = sign(secret, payload);
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw refused('this link is not valid');
  let claims: { m?: unknown; e?: unknown; i?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw refused('this link is not valid');
  }
  if (typeof claims.m !== 'string' || typeof claims.e !== 'number') throw refused('this link is not valid');
  if (claims.e * 1000 <= now.getTime()) throw refused('this link has expired; ask the store for a new one', 'PORTAL_LINK_EXPIRED');
  return {
    memberId: claims.m,
    expiresAt: new Date(claims.e * 1000).toISOString(),
    ...(typeof claims.i === 'number' && Number.isFinite(claims.i) && { issuedAt: new Date(claims.i).toISOString() }),
  };
}
