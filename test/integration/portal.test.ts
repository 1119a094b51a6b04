import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issuePortalToken } from '../../shared/portal/token';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { memberWithHistory, portalLink, seedCatalog } from '../support/pages';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
  await seedCatalog(club);
});
afterAll(() => club?.stop());

const me = (token: string, path = '', method = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
  club.api(method, `/v1/me${path}`, body, { authorization: `Bearer ${token}`, ...headers });

describe('portal links', () => {
  it('open the member their link names: balance, history, rewards, referral code, how to earn', async () => {
    const { memberId, balance } = await memberWithHistory(club);
    const link = await portalLink(club, memberId, { lang: 'fa' });
    expect(link.url).toMatch(new RegExp(`^${club.url}/club\\?lang=fa#t=`));
    expect(link.url.endsWith(link.token)).toBe(true);
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(Date.parse(link.expiresAt) - Date.now()).toBeLessThanOrEqual(30 * 60_000);

    const view = await me(link.token);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ memberId, name: 'Sara', tier: 'member', balance, lifetimePoints: balance });
    expect(view.body.referralCode).toMatch(/^[A-Z0-9]{4,}/);
    expect(view.body.program.howToEarn[0]).toEqual({ kind: 'per-unit', pointsPerUnit: '1', currency: 'USD', rounding: 'floor' });
    expect(view.body.expiring.reduce((s: number, l: { points: number }) => s + l.points, 0)).toBe(balance);

    const ledger = await me(link.token, '/ledger?limit=10');
    expect(ledger.status).toBe(200);
    expect(ledger.body.items.map((e: { type: string; points: number }) => [e.type, e.points])).toEqual([
      ['adjust', 15],
      ['earn', 200],
      ['earn', 120],
    ]);
    // Staff names stay off the member's page.
    expect(ledger.body.items.every((e: object) => !('actor' in e))).toBe(true);

    const rewards = await me(link.token, '/rewards');
    expect(rewards.status).toBe(200);
    expect(rewards.body.items.map((r: { rewardId: string; affordable: boolean }) => [r.rewardId, r.affordable])).toEqual([
      ['free-shipping', true],
      ['ten-off', true],
      ['big', false],
    ]);
  });

  it("words bonuses by kind for the member's page and never names the friend who referred them", async () => {
    const before = (await club.api('GET', '/v1/admin/program')).body;
    const saved = await club.api('PUT', '/v1/admin/program', {
      ...before,
      bonuses: { ...before.bonuses, firstPurchase: 30, referral: { referrer: 100, referred: 50 } },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    try {
      const friendId = uniqueId('ali-k');
      expect((await club.api('POST', '/v1/members', { memberId: friendId })).status).toBe(201);
      const memberId = uniqueId('m');
      expect((await club.api('POST', '/v1/members', { memberId, referredBy: friendId })).status).toBe(201);
      expect((await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '10.00', currency: 'USD' })).status).toBe(200);
      const { token } = await portalLink(club, memberId);
      const ledger = await me(token, '/ledger');
      expect(ledger.status).toBe(200);
      const bonuses = ledger.body.items.filter((e: { type: string }) => e.type === 'bonus');
      expect(bonuses.map((e: { reasonKind: string; points: number }) => [e.reasonKind, e.points]).sort()).toEqual([
        ['first-purchase', 30],
        ['referred', 50],
      ]);
      expect(JSON.stringify(ledger.body)).not.toContain(friendId);
      // The staff API keeps the stored reason as it is.
      const staff = await club.api('GET', `/v1/members/${memberId}/ledger`);
      expect(staff.body.items.map((e: { reason?: string }) => e.reason)).toContain(`referral bonus: referred by ${friendId}`);
    } finally {
      const now = (await club.api('GET', '/v1/admin/program')).body;
      expect((await club.api('PUT', '/v1/admin/program', { ...now, bonuses: before.bonuses })).status).toBe(200);
    }
  });

  it('is refused when forged, tampered, expired or absent, in the contract error shape', async () => {
    const { memberId } = await memberWithHistory(club);
    const good = await portalLink(club, memberId);
    const expired = issuePortalToken(process.env.LOYALTY_PORTAL_SECRET!, memberId, new Date(Date.now() - 3_600_000), 60);
    const forged = issuePortalToken('not-the-secret', memberId, new Date(), 600);
    const [payload, sig] = good.token.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ m: 'someone-else', e: 9_999_999_999, n: 'x' })).toString('base64url')}.${sig}`;
    for (const [token, code] of [
      [expired.token, 'PORTAL_LINK_EXPIRED'],
      [forged.token, 'PORTAL_LINK_INVALID'],
      [tampered, 'PORTAL_LINK_INVALID'],
      [`${payload}.`, 'PORTAL_LINK_INVALID'],
      [club.token, 'PORTAL_LINK_INVALID'],
    ] as const) {
      const res = await me(token);
      expect(res.status, code).toBe(401);
      expect(res.body).toEqual({ error: { code, message: expect.any(String), details: [] } });
    }
    const none = await club.api('GET', '/v1/me', undefined, { authorization: undefined });
    expect(none.status).toBe(401);
    // A portal token is not an API token.
    expect((await club.api('GET', `/v1/members/${memberId}`, undefined, { authorization: `Bearer ${good.token}` })).status).toBe(401);
  });

  it("answers a forged ledger cursor on the member's own link with 400 INVALID_CURSOR, never a 500", async () => {
    const { memberId } = await memberWithHistory(club);
    const link = await portalLink(club, memberId, {});
    const forged = Buffer.from(JSON.stringify({ m: memberId, s: 'LEDGER#0000000001', k: '', p: `MEMBER#${memberId}` })).toString(
      'base64url',
    );
    const res = await me(link.token, `/ledger?cursor=${forged}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CURSOR');
  });

  it('needs the API token to mint one, and a member that exists', async () => {
    const { memberId } = await memberWithHistory(club);
    expect((await club.api('POST', `/v1/members/${memberId}/portal-links`, {}, { authorization: undefined })).status).toBe(401);
    const missing = await club.api('POST', `/v1/members/${uniqueId('ghost')}/portal-links`, {});
    expect(missing.status).toBe(404);
    const bad = await club.api('POST', `/v1/members/${memberId}/portal-links`, { ttlMinutes: 0, lang: 'de' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.lang', 'body.ttlMinutes']);
  });

  it("staff withdraw a member's links: the old ones answer 401 PORTAL_LINK_REVOKED on every route, a new one works", async () => {
    const { memberId, balance } = await memberWithHistory(club);
    const { token: old } = await portalLink(club, memberId);
    const page = await me(old);
    expect(page.status).toBe(200);
    // The link's check reads the member once and the page uses that read: no second member read.
    const calls = (path: string) => me(old, path).then((r) => Number(/calls=(\d+)/.exec(r.headers['x-loyalty-capacity'] ?? '')?.[1]));
    expect(await calls('/rewards')).toBe(1);
    const res = await club.api('DELETE', `/v1/members/${memberId}/portal-links`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ memberId, revokedAt: expect.any(String) });
    for (const [path, method, body] of [
      ['', 'GET'],
      ['/ledger', 'GET'],
      ['/rewards', 'GET'],
      ['/redeem', 'POST', { rewardId: 'free-shipping', idempotencyKey: 'after-revoke' }],
    ] as const) {
      const refused = await me(old, path, method, body);
      expect(refused.status, path).toBe(401);
      expect(refused.body.error.code).toBe('PORTAL_LINK_REVOKED');
    }
    const { token: fresh } = await portalLink(club, memberId);
    expect((await me(fresh)).body.balance).toBe(balance);
    expect((await club.api('DELETE', `/v1/members/${uniqueId('ghost')}/portal-links`)).status).toBe(404);
  });

  it('a redemption needs an idempotency key and names a reward; a refusal writes nothing', async () => {
    const { memberId, balance } = await memberWithHistory(club);
    const { token } = await portalLink(club, memberId);
    const noKey = await me(token, '/redeem', 'POST', { rewardId: 'free-shipping' });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.details[0].path).toBe('body.idempotencyKey');
    const tooDear = await me(token, '/redeem', 'POST', { rewardId: 'big', idempotencyKey: 'k1' });
    expect(tooDear.status).toBe(409);
    expect(tooDear.body.error.code).toBe('INSUFFICIENT_POINTS');
    const unknown = await me(token, '/redeem', 'POST', { rewardId: 'nope', idempotencyKey: 'k2' });
    expect(unknown.status).toBe(404);
    expect((await me(token)).body.balance).toBe(balance);
  });

  it('redeems a catalog reward once per key: the price is spent, a code issued, the balance shown', async () => {
    const { memberId, balance } = await memberWithHistory(club);
    const { token } = await portalLink(club, memberId);
    const first = await me(token, '/redeem', 'POST', { rewardId: 'free-shipping' }, { 'idempotency-key': 'tap-1' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ pointsSpent: 100, balance: balance - 100, duplicate: false });
    expect(first.body.reward).toMatchObject({ rewardId: 'free-shipping', memberId, status: 'issued' });
    const again = await me(token, '/redeem', 'POST', { rewardId: 'free-shipping' }, { 'idempotency-key': 'tap-1' });
    expect(again.body).toMatchObject({ redemptionId: first.body.redemptionId, balance: balance - 100, duplicate: true });
    expect((await club.api('GET', `/v1/members/${memberId}`)).body.balance).toBe(balance - 100);
    const history = await me(token, '/ledger?limit=1');
    expect(history.body.items[0]).toMatchObject({ type: 'redeem', points: -100, rewardId: 'free-shipping' });
  });
});

describe('staff roles', () => {
  afterEach(() => {
    delete process.env.STAFF_TOKENS;
  });

  it('viewers read but cannot adjust; an operator adjusts and is recorded as the actor', async () => {
    process.env.STAFF_TOKENS = 'omid:viewer:viewer-token-1,sara:operator:operator-token-1';
    const { memberId } = await memberWithHistory(club);
    const asViewer = { authorization: 'Bearer viewer-token-1' };
    expect((await club.api('GET', `/v1/members/${memberId}`, undefined, asViewer)).status).toBe(200);
    const refused = await club.api('POST', `/v1/members/${memberId}/adjustments`, { points: 5, reason: 'goodwill' }, asViewer);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');

    const done = await club.api(
      'POST',
      `/v1/members/${memberId}/adjustments`,
      { points: -5, reason: 'duplicate order', actor: 'someone-else' },
      { authorization: 'Bearer operator-token-1' },
    );
    expect(done.status).toBe(201);
    const ledger = await club.api('GET', `/v1/members/${memberId}/ledger?limit=1`);
    expect(ledger.body.items[0]).toMatchObject({ type: 'adjust', points: -5, reason: 'duplicate order', actor: 'sara' });
    // Operators don't edit the program.
    const put = await club.api('PUT', '/v1/admin/program', {}, { authorization: 'Bearer operator-token-1', 'if-match': '"1"' });
    expect(put.status).toBe(403);
  });
});
