import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../../../shared/domain/errors';
import { issuePortalToken, verifyPortalToken } from '../../../../shared/portal/token';
import { issueOptOutToken, optOutUrl, verifyOptOutToken } from '../../../../shared/portal/opt-out';

const secret = 'portal-secret-for-tests';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    return err as DomainError;
  }
  throw new Error('expected a refusal');
}

const b64 = (s: string) => Buffer.from(s).toString('base64url');

describe('opt-out tokens', () => {
  it('name the member and channel they were issued for, with no expiry', () => {
    const token = issueOptOutToken(secret, { memberId: 'cust-1', channel: 'email' });
    expect(verifyOptOutToken(secret, token)).toEqual({ memberId: 'cust-1', channel: 'email' });
    // By hand: the payload is the claims, the signature the HMAC of the domain string and the payload.
    const payload = b64('{"m":"cust-1","c":"email"}');
    const mac = createHmac('sha256', secret).update(`loyalty-opt-out.v1.${payload}`).digest('base64url');
    expect(token).toBe(`${payload}.${mac}`);
  });

  it('are refused when forged for another member or channel, signed by another secret, or malformed', () => {
    const token = issueOptOutToken(secret, { memberId: 'cust-1', channel: 'sms' });
    const [, mac] = token.split('.');
    for (const forged of [
      `${b64('{"m":"cust-2","c":"sms"}')}.${mac}`,
      `${b64('{"m":"cust-1","c":"email"}')}.${mac}`,
      issueOptOutToken('another-secret', { memberId: 'cust-1', channel: 'sms' }),
      `${b64('{"m":"cust-1","c":"fax"}')}.${createHmac('sha256', secret)
        .update(`loyalty-opt-out.v1.${b64('{"m":"cust-1","c":"fax"}')}`)
        .digest('base64url')}`,
      'not-a-token',
      '',
      `${token}.extra`,
    ]) {
      const err = refusal(() => verifyOptOutToken(secret, forged));
      expect(err.code, forged).toBe('OPT_OUT_LINK_INVALID');
    }
  });

  it('is never a portal token, nor a portal token an opt-out one: the domain strings differ', () => {
    const optOut = issueOptOutToken(secret, { memberId: 'cust-1', channel: 'sms' });
    expect(refusal(() => verifyPortalToken(secret, optOut, new Date())).code).toBe('PORTAL_LINK_INVALID');
    const { token: portal } = issuePortalToken(secret, 'cust-1', new Date(), 1800);
    expect(refusal(() => verifyOptOutToken(secret, portal)).code).toBe('OPT_OUT_LINK_INVALID');
  });

  it('rides in a link to the API route on the public address', () => {
    expect(optOutUrl('https://club.example.com/', 'abc.def')).toBe('https://club.example.com/v1/unsubscribe?t=abc.def');
  });
});
