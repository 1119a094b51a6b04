/**
 * The store's own program through HTTP against DynamoDB Local: edit it with
 * optimistic concurrency, earn under it (programVersion on every entry),
 * refuse a bad one with all its problems, campaigns, tiers, pilot, calendar
 * and the simulator (which writes nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { expectBalanceMatchesLedger, rawLedger, uniqueId } from '../support/ledger';
import { programApi } from '../support/program';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());
const { newMember, earn, putProgram } = programApi(() => club);

describe('the program document', () => {
  it('starts as the contract default, and an edit changes what the next order earns', async () => {
    const first = await club.api('GET', '/v1/admin/program');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      version: 1,
      currency: 'USD',
      earning: { pointsPerUnit: '1', rounding: 'floor', minimumOrder: '0' },
      campaigns: [],
      stacking: 'stack',
    });
    expect(first.headers.etag).toBe('"1"');

    const m = await newMember();
    expect((await earn(m, '10.99')).points).toBe(10);

    const saved = await club.api('PUT', '/v1/admin/program', { earning: { pointsPerUnit: '2', rounding: 'round' } }, { 'if-match': '"1"' });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    expect(saved.headers.etag).toBe('"2"');

    const second = await earn(m, '10.50');
    expect(second.points).toBe(21);
    const ledger = await rawLedger(club.client, club.tableName, m);
    expect(ledger.map((e) => [e.points, e.programVersion])).toEqual([
      [10, 1],
      [21, 2],
    ]);
    const view = await club.api('GET', `/v1/members/${m}/ledger`);
    expect(view.body.items.map((e: { programVersion: number }) => e.programVersion)).toEqual([2, 1]);

    const versions = await club.api('GET', '/v1/admin/program/versions');
    expect(versions.status).toBe(200);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    await putProgram({});
  });

  it('refuses a stale version with 409 and keeps the running program', async () => {
    const current = await club.api('GET', '/v1/admin/program');
    const v = current.body.version;
    const ok = await club.api('PUT', '/v1/admin/program', { ...current.body, earning: { pointsPerUnit: '3' } });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(v + 1);
    const stale = await club.api('PUT', '/v1/admin/program', { expectedVersion: v, earning: { pointsPerUnit: '9' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const after = await club.api('GET', '/v1/admin/program');
    expect(after.body).toMatchObject({ version: v + 1, earning: { pointsPerUnit: '3' } });
    await putProgram({});
  });

  it('refuses a bad program with every problem listed, and nothing changes', async () => {
    const before = await club.api('GET', '/v1/admin/program');
    const res = await club.api('PUT', '/v1/admin/program', {
      expectedVersion: before.body.version,
      timeZone: 'Mars/Olympus',
      earning: { pointsPerUnit: '-1', rounding: 'sideways', maxPointsPerOrder: 1.5 },
      campaigns: [
        {
          id: 'nowruz',
          name: 'Nowruz',
          start: '2027-03-27',
          end: '2027-03-20',
          target: {},
          effect: { type: 'multiplier', multiplier: 'x2' },
        },
      ],
      tiers: {
        levels: [
          { id: 'gold', name: 'Gold', threshold: 500 },
          { id: 'silver', name: 'Silver', threshold: 100 },
        ],
      },
      surprise: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.timeZone',
        'body.earning.pointsPerUnit',
        'body.earning.rounding',
        'body.earning.maxPointsPerOrder',
        'body.campaigns.0.effect.multiplier',
        'body.tiers.levels.1.threshold',
      ]),
    );
    expect(paths.some((p: string) => p === 'body' || p === 'body.surprise')).toBe(true);
    for (const d of res.body.error.details) expect(d.message).toEqual(expect.any(String));
    const after = await club.api('GET', '/v1/admin/program');
    expect(after.body).toEqual(before.body);
  });

  it('reports a campaign that ends before it starts', async () => {
    const before = await club.api('GET', '/v1/admin/program');
    const res = await club.api('PUT', '/v1/admin/program', {
      expectedVersion: before.body.version,
      campaigns: [{ id: 'x', name: 'X', start: '2027-03-27', end: '2027-03-20', effect: { type: 'fixedBonus', points: 5 } }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual({ path: 'body.campaigns.0.end', message: 'end is before start' });
  });

  it('lets exactly one of two concurrent edits from the same version win', async () => {
    const current = await club.api('GET', '/v1/admin/program');
    const edits = await Promise.all(
      ['4', '5', '6', '7'].map((ppu) =>
        club.api('PUT', '/v1/admin/program', { expectedVersion: current.body.version, earning: { pointsPerUnit: ppu } }),
      ),
    );
    expect(edits.map((e) => e.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = edits.find((e) => e.status === 200)!;
    expect((await club.api('GET', '/v1/admin/program')).body).toEqual(winner.body);
    const versions = await club.api('GET', '/v1/admin/program/versions?limit=2');
    expect(versions.body.items[0]).toEqual(winner.body);
    expect(versions.body.nextCursor).toEqual(expect.any(String));
    const older = await club.api('GET', `/v1/admin/program/versions?limit=100&cursor=${versions.body.nextCursor}`);
    expect(older.body.items.map((v: { version: number }) => v.version)).toEqual(
      Array.from({ length: winner.body.version - 2 }, (_, i) => winner.body.version - 2 - i),
    );
    await putProgram({});
  });

  it('never lets concurrent orders pass the per-day cap', async () => {
    await putProgram({ earning: { maxPointsPerDay: 250 } });
    const m = await newMember();
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        club.api('POST', '/v1/earn', { memberId: m, orderId: uniqueId('o'), amount: '40', currency: 'USD' }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.reduce((s, r) => s + r.body.points, 0)).toBe(250);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(250);
    await putProgram({});
  });

  it('requires the version an edit starts from', async () => {
    const res = await club.api('PUT', '/v1/admin/program', { earning: { pointsPerUnit: '5' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('body.expectedVersion');
  });
});
