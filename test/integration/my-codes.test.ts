import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { memberWithHistory, portalLink, seedCatalog } from '../support/pages';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
  await seedCatalog(club);
});
afterAll(() => club?.stop());

const me = (token: string, path: string, method = 'GET', body?: unknown) =>
  club.api(method, `/v1/me${path}`, body, { authorization: `Bearer ${token}` });

describe("the member's own codes (GET /v1/me/codes)", () => {
  it('lists the codes their redemptions issued, newest first, as the code check answers them, and pages', async () => {
    const { memberId } = await memberWithHistory(club);
    const { token } = await portalLink(club, memberId);
    expect((await me(token, '/codes')).body).toEqual({ items: [], nextCursor: null });

    const first = await me(token, '/redeem', 'POST', { rewardId: 'free-shipping', idempotencyKey: 'k1' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    // An earn between the two: the listing passes over entries without a code.
    expect((await club.api('POST', '/v1/earn', { memberId, orderId: `o-${memberId}`, amount: '5.00', currency: 'USD' })).status).toBe(200);
    const second = await me(token, '/redeem', 'POST', { rewardId: 'free-shipping', idempotencyKey: 'k2' });
    expect(second.status).toBe(200);
    const [older, newer] = [first.body.reward.code as string, second.body.reward.code as string];

    const listed = await me(token, '/codes');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { code: string }) => c.code)).toEqual([newer, older]);
    expect(listed.body.nextCursor).toBeNull();
    const checked = await club.api('GET', `/v1/rewards/codes/${older}`);
    expect(listed.body.items[1]).toEqual(checked.body);
    expect(listed.body.items[1]).toMatchObject({ status: 'issued', rewardId: 'free-shipping', memberId, pointsPrice: 100 });

    const used = await club.api('POST', `/v1/rewards/codes/${older}/use`, { orderId: `used-${memberId}` });
    expect(used.status, JSON.stringify(used.body)).toBe(200);
    const page1 = await me(token, '/codes?limit=1');
    expect(page1.body.items.map((c: { code: string }) => c.code)).toEqual([newer]);
    const page2 = await me(token, `/codes?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((c: { code: string; status: string }) => [c.code, c.status])).toEqual([[older, 'used']]);

    // Another member's cursor is refused.
    const other = await memberWithHistory(club);
    const theirs = await portalLink(club, other.memberId);
    expect((await me(theirs.token, `/codes?cursor=${page1.body.nextCursor}`)).status).toBe(400);
  });
});
