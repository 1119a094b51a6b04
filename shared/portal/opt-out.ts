/**
 * One-click opt-out links: every SMS and email carries one, naming the member and
 * the channel it came on, so a member stops that channel without signing in.
 *
 *   token = base64url(JSON {m: memberId, c: channel}) "." base64url(HMAC-SHA256(portal secret, DOMAIN + payload))
 *
 * The portal secret signs it under its own domain string, so an opt-out token is
 * never a portal token (which opens the member's page) nor the other way round.
 * It has no expiry on purpose: a message is read, and unsubscribed from, months
 * after it was sent, and mailbox providers expect the link in any message to keep
 * working; what it can do is only ever turn one channel off for one member, which
 * the member can turn on again from their page. Rotating the portal secret
 * revokes every link. Verification is constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../domain/errors';

const DOMAIN = 'loyalty-opt-out.v1.';
const CHANNELS = ['sms', 'email'] as const;
export type OptOutChannel = (typeof CHANNELS)[number];

export interface OptOutClaims {
  readonly memberId: string;
  readonly channel: OptOutChannel;
}

function sign(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret)
    .update(DOMAIN + payload)
    .digest();
}

export function issueOptOutToken(secret: string, claims: OptOutClaims): string {
  if (!secret) throw new Error('no portal secret configured');
  const payload = Buffer.from(JSON.stringify({ m: claims.memberId, c: claims.channel })).toString('base64url');
  return `${payload}.${sign(secret, payload).toString('base64url')}`;
}

const refused = () => new DomainError('OPT_OUT_LINK_INVALID', 'this opt-out link is not valid; change your messages from your club page');

/** The member and channel a token names, or a 400 when it is forged or malformed. */
export function verifyOptOutToken(secret: string, token: string): OptOutClaims {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || token.length > 1024) throw refused();
  const [payload, given] = parts as [string, string];
  const expected = sign(secret, payload);
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw refused();
  let claims: { m?: unknown; c?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  if (typeof claims.m !== 'string' || !CHANNELS.includes(claims.c as OptOutChannel)) throw refused();
  return { memberId: claims.m, channel: claims.c as OptOutChannel };
}

/** The link a message carries: the API's own route, on the public address the pages are served from. */
export function optOutUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/v1/unsubscribe?t=${token}`;
}
