/**
 * The table's stream is the outbox: a change committed while no processor reads
 * the stream (the process died between its commit and its publish) is published
 * once the processor runs again, exactly once by id, and a restart resumes from
 * the stream position it kept instead of publishing everything again.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventsService } from '../../local/events';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';

const REWARD = { rewardId: 'ten-off', name: '10 off', kind: 'fixed-discount', amount: '10.00', pointsPrice: 100, validDays: 30 };

let club: TestClub | undefined;
afterEach(async () => {
  await club?.stop();
  club = undefined;
});

/** The club with its stream processor running (or down, pollStream: false), publishing into dir's events.jsonl. */
async function startWith(dir: string, pollStream: boolean): Promise<{ club: TestClub; bus: LocalEventsService }> {
  const bus = new LocalEventsService({ dir, pollStream });
  club = await startTestClub({ services: [bus] });
  return { club, bus };
}

async function published(dir: string, memberId: string): Promise<{ id: string; type: string }[]> {
  const text = await readFile(join(dir, 'events.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((e) => e.memberId === memberId);
}

describe('events from the table stream', () => {
  it('publishes what committed while the processor was down once it runs again, exactly once by id, and resumes where it stopped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loyalty-stream-'));
    const memberId = uniqueId('s');

    // The processor is down: commits land, nothing is published.
    const { club: down } = await startWith(dir, false);
    expect((await down.api('PUT', '/v1/admin/program', { expectedVersion: 1, rewards: [REWARD] })).status).toBe(200);
    expect((await down.api('POST', '/v1/members', { memberId })).status).toBe(201);
    const earn = await down.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '150', currency: 'USD' });
    expect(earn.status).toBe(200);
    const redeem = await down.api('POST', '/v1/redeem', { memberId, points: 100, idempotencyKey: uniqueId('k'), rewardId: 'ten-off' });
    expect(redeem.status).toBe(200);
    const code: string = redeem.body.reward.code;
    const cancel = await down.api('POST', `/v1/rewards/codes/${code}/cancel`, { reason: 'changed their mind' });
    expect(cancel.status).toBe(200);
    await down.stop();
    club = undefined;
    expect(await published(dir, memberId)).toEqual([]);

    // Back up: every committed change is published, each id once.
    let { bus } = await startWith(dir, true);
    await bus.drained();
    const expected = [
      `ledger:${earn.body.entryId}`,
      `ledger:${redeem.body.redemptionId}`,
      `reward:${code}`,
      `ledger:${cancel.body.entryId}`,
      `reward-cancelled:${code}`,
    ];
    const first = await published(dir, memberId);
    expect(first.map((e) => e.id).sort()).toEqual([...expected].sort());
    expect(first.find((e) => e.id === `reward-cancelled:${code}`)).toMatchObject({
      type: 'reward.cancelled',
      data: { code, reason: 'cancelled', pointsReturned: 100, entryId: cancel.body.entryId },
    });

    // One more change with the processor running, then a restart: nothing published twice.
    const second = await club!.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '7', currency: 'USD' });
    expect(second.status).toBe(200);
    await bus.drained();
    await club!.stop();
    ({ bus } = await startWith(dir, true));
    await bus.drained();
    const all = await published(dir, memberId);
    expect(all.map((e) => e.id).sort()).toEqual([...expected, `ledger:${second.body.entryId}`].sort());
  });
});
