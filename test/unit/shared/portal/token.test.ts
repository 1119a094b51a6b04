import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../../../shared/domain/errors';
import { issuePortalToken, verifyPortalToken } from '../../../../shared/portal/token';

const secret = 'portal-secret-for-tests';
const now = new Date('2026-11-23T10:00:00Z');

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    return err as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('portal tokens', () => {
  it('name the member they were issued for until they expire', () => {
    const { token, expiresAt } = issuePortalToken(secret, 'cust-1', now, 1800);
    expect(expiresAt).toBe('2026-11-23T10:30:00.000Z');
    expect(verifyPortalToken(secret, token, new Date('2026-11-23T10:29:59Z'))).toEqual({
      memberId: 'cust-1',
      expiresAt,
      issuedAt: '2026-11-23T10:00:00.000Z',
    });
  });

  it('are refused once expired', () => {
    const { token } = issuePortalToken(secret, 'cust-1', now, 60);
    const err = refusal(() => verifyPortalToken(secret, token, new Date('2026-11-23T10:01:00Z')));
    expect(err.status).toBe(401);
    expect(err.code).toBe('PORTAL_LINK_EXPIRED');
  });

  it('are different every time (a nonce), even for the same member and second', () => {
    expect(issuePortalToken(secret, 'cust-1', now, 60).token).not.toBe(issuePortalToken(secret, 'cust-1', now, 60).token);
  });

  it('refuse another secret, an edited member or expiry, and garbage', () => {
    const { token } = issuePortalToken(secret, 'cust-1', now, 1800);
    const [payload, sig] = token.split('.') as [string, string];
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), m: 'cust-2' })).toString(
      'base64url',
    );
    const longer = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), e: 9_999_999_999 })).toString(
      'base64url',
    );
    for (const bad of [`${edited}.${sig}`, `${longer}.${sig}`, `${payload}.${sig.slice(0, -2)}`, 'x', '', 'a.b.c', `${payload}.`]) {
      const err = refusal(() => verifyPortalToken(secret, bad, now));
      expect(err.status, bad).toBe(401);
      expect(err.code).toBe('PORTAL_LINK_INVALID');
    }
    expect(refusal(() => verifyPortalToken('another-secret', token, now)).code).toBe('PORTAL_LINK_INVALID');
  });
});
