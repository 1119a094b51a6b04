/**
 * GET /v1/admin/members: every member once, page by page across the
 * directory's shards, without a Scan; bad paging input is a 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { MEMBER_DIRECTORY_SHARDS, memberDirectoryKey } from '../../shared/store/keys';
import { startTestClub, type TestClub } from '../support/club';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());

async function listAll(limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: { status: number; body: any } = await club.api(
      'GET',
      `/v1/admin/members?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.items.map((m: { memberId: string }) => m.memberId));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor);
  return { ids, pages };
}

describe('the member list for staff', () => {
  const enrolled: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 41; i++) {
      const res = await club.api('POST', '/v1/members', { memberId: `dir-${i}`, email: `dir${i}@example.com` });
      expect(res.status).toBe(201);
      enrolled.push(res.body.memberId);
    }
    // A refused enrolment (email taken) leaves no directory entry behind.
    expect((await club.api('POST', '/v1/members', { memberId: 'dir-dup', email: 'dir0@example.com' })).status).toBe(409);
  });

  it('lists every member once, whatever the page size', async () => {
    for (const limit of [1, 7, 500]) {
      const { ids, pages } = await listAll(limit);
      expect([...ids].sort()).toEqual([...enrolled].sort());
      if (limit === 7) expect(pages).toBeGreaterThanOrEqual(6);
    }
  });

  it('shows members as the member read does', async () => {
    await club.api('POST', '/v1/members/dir-3/adjustments', { points: 25, reason: 'opening balance', idempotencyKey: 'opening-balance' });
    const page = await club.api('GET', '/v1/admin/members?limit=500');
    const m = page.body.items.find((x: { memberId: string }) => x.memberId === 'dir-3');
    const read = await club.api('GET', '/v1/members/dir-3');
    expect(m).toEqual(read.body);
    expect(m.balance).toBe(25);
  });

  it('spreads members over the directory shards', async () => {
    const counts = await Promise.all(
      Array.from({ length: MEMBER_DIRECTORY_SHARDS }, async (_, shard) => {
        const pk = `MEMBERS#${String(shard).padStart(2, '0')}`;
        const out = await club.client.send(
          new QueryCommand({ TableName: club.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
        );
        return out.Items?.length ?? 0;
      }),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(enrolled.length);
    expect(counts.filter((c) => c > 0).length).toBeGreaterThan(MEMBER_DIRECTORY_SHARDS / 2);
    expect(memberDirectoryKey('dir-dup').sk).toBe('dir-dup');
    expect(counts.length).toBe(MEMBER_DIRECTORY_SHARDS);
  });

  it('refuses a forged cursor and a bad limit with 400, and strangers with 401', async () => {
    const forged = Buffer.from(JSON.stringify({ d: 99 })).toString('base64url');
    const bad = await club.api('GET', `/v1/admin/members?cursor=${forged}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_CURSOR');
    expect((await club.api('GET', '/v1/admin/members?cursor=%7B')).status).toBe(400);
    const limit = await club.api('GET', '/v1/admin/members?limit=0');
    expect(limit.status).toBe(400);
    expect(limit.body.error.details[0].path).toBe('query.limit');
    expect((await club.api('GET', '/v1/admin/members', undefined, { authorization: undefined })).status).toBe(401);
  });
});
