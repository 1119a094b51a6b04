/**
 * The notifier against DynamoDB Local: consent, channel preference, language,
 * quiet hours (held and flushed), once per event and channel, a record of
 * every message; and the local wiring: job → event → outbox.jsonl.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventsAndNotifier } from '../../local/automations';
import type { DomainEvent } from '../../shared/events/events';
import { flushDeferred, notify, type NotifierDeps } from '../../shared/notify/notifier';
import type { MessageSender, OutgoingMessage } from '../../shared/notify/senders';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { wiring } from '../../shared/wiring';

let club: TestClub;
let dir: string;
let bus: ReturnType<typeof localEventsAndNotifier>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loyalty-notify-'));
  bus = localEventsAndNotifier({ dir });
  club = await startTestClub({ services: [bus] });
});
afterAll(() => club?.stop());

class Recorder implements MessageSender {
  sent: OutgoingMessage[] = [];
  constructor(
    readonly channel: 'sms' | 'email',
    private readonly fail = false,
  ) {}
  async send(m: OutgoingMessage) {
    if (this.fail) throw new Error('panel down');
    this.sent.push(m);
    return { providerId: `p${this.sent.length}` };
  }
}

const NOON = new Date('2026-06-10T12:00:00Z');
const NIGHT = new Date('2026-06-10T23:00:00Z');

function deps(now: Date, senders: { sms?: MessageSender; email?: MessageSender }): NotifierDeps {
  const d = wiring().jobs;
  return { store: d.store, automation: d.automation, settings: d.settings, program: d.program, now: () => now, senders };
}

async function member(profile: Record<string, unknown> = {}) {
  const id = uniqueId('n');
  const res = await club.api('POST', '/v1/members', { memberId: id, ...profile });
  expect(res.status).toBe(201);
  return id;
}

const expiring = (memberId: string): DomainEvent => ({
  id: `expiring:${memberId}:2027-03-31T23:59:59.999Z`,
  type: 'points.expiring',
  version: 1,
  occurredAt: '2027-03-02T00:00:00.000Z',
  memberId,
  data: { points: 70, expiresAt: '2027-03-31T23:59:59.999Z', balance: 100 },
});
const lapsed = (memberId: string): DomainEvent => ({
  id: `lapsed:${memberId}:x`,
  type: 'member.lapsed',
  version: 1,
  occurredAt: NOON.toISOString(),
  memberId,
  data: { stage: 'lapsed-45', daysSinceLastPurchase: 45, balance: 10 },
});

async function records(memberId: string) {
  const out = await club.client.send(
    new QueryCommand({
      TableName: club.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
      ExpressionAttributeValues: { ':pk': `MEMBER#${memberId}`, ':m': 'MESSAGE#' },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

describe('notifier', () => {
  it('sends a transactional notice once, on the preferred channel, in the chosen language', async () => {
    const m = await member({ phone: '+989121234567', email: 'n@example.com' });
    const put = await club.api('PUT', `/v1/members/${m}/notifications`, { channels: ['email', 'sms'], language: 'fa' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ transactional: true, marketing: false, channels: ['email', 'sms'], language: 'fa' });
    const sms = new Recorder('sms');
    const email = new Recorder('email');
    await notify(deps(NOON, { sms, email }), [expiring(m)]);
    await notify(deps(NOON, { sms, email }), [expiring(m)]);
    expect(sms.sent).toEqual([]);
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]).toMatchObject({ to: 'n@example.com', text: expect.stringContaining('۷۰') });
    expect(await records(m)).toEqual([
      expect.objectContaining({ channel: 'email', status: 'sent', providerId: 'p1', template: 'points-expiring', language: 'fa' }),
    ]);
  });

  it('texts a phone the member typed in Persian digits to the panel in E.164, ASCII digits', async () => {
    const m = await member({ phone: '۰۰۹۸ ۹۱۲ ۴۴۴ ۵۵۶۶' });
    const sms = new Recorder('sms');
    await notify(deps(NOON, { sms }), [expiring(m)]);
    expect(sms.sent.map((s) => s.to)).toEqual(['+989124445566']);
  });

  it('sends offers only with marketing consent, and records the ones it did not send', async () => {
    const m = await member({ phone: '+989121111111' });
    const sms = new Recorder('sms');
    await notify(deps(NOON, { sms }), [lapsed(m)]);
    expect(sms.sent).toEqual([]);
    expect(await records(m)).toEqual([expect.objectContaining({ status: 'skipped', reason: expect.stringContaining('consent') })]);

    await club.api('PUT', `/v1/members/${m}/notifications`, { marketing: true });
    const consented = { ...lapsed(m), id: `lapsed:${m}:y` };
    await notify(deps(NOON, { sms }), [consented]);
    expect(sms.sent.map((s) => s.to)).toEqual(['+989121111111']);
  });

  it('holds messages during quiet hours and sends them when they end, once', async () => {
    const m = await member({ phone: '+989122222222' });
    const sms = new Recorder('sms');
    const [held] = await notify(deps(NIGHT, { sms }), [expiring(m)]);
    expect(held).toMatchObject({ status: 'deferred' });
    expect(sms.sent).toEqual([]);
    // Still night: nothing goes out.
    await flushDeferred(deps(new Date('2026-06-11T03:00:00Z'), { sms }));
    expect(sms.sent).toEqual([]);
    const morning = new Date('2026-06-11T09:30:00Z');
    expect(await flushDeferred(deps(morning, { sms }))).toMatchObject({ sent: 1 });
    expect(await flushDeferred(deps(morning, { sms }))).toMatchObject({ sent: 0 });
    expect(sms.sent).toHaveLength(1);
    expect(await records(m)).toEqual([expect.objectContaining({ status: 'sent', channel: 'sms' })]);
  });

  it('records a failed send and retries it on the next delivery of the event', async () => {
    const m = await member({ email: 'f@example.com' });
    await expect(notify(deps(NOON, { email: new Recorder('email', true) }), [expiring(m)])).rejects.toThrow(/failed/);
    expect(await records(m)).toEqual([expect.objectContaining({ status: 'failed', reason: 'panel down', attempts: 1 })]);
    const ok = new Recorder('email');
    await notify(deps(NOON, { email: ok }), [expiring(m)]);
    expect(ok.sent).toHaveLength(1);
    expect(await records(m)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
  });

  it('answers 404 for preferences of an unknown member and 400 for a bad channel', async () => {
    expect((await club.api('GET', '/v1/members/nobody-here/notifications')).status).toBe(404);
    const m = await member();
    expect((await club.api('PUT', `/v1/members/${m}/notifications`, { channels: ['pigeon'] })).status).toBe(400);
    expect((await club.api('GET', `/v1/members/${m}/notifications`)).body).toMatchObject({ transactional: true, marketing: false });
  });
});

describe('locally, end to end', () => {
  it('turns a reminder job into a message in outbox.jsonl (or holds it in quiet hours)', async () => {
    const m = await member({ phone: '+989123333333' });
    await club.api('POST', '/v1/earn', {
      memberId: m,
      orderId: uniqueId('o'),
      amount: '70',
      currency: 'USD',
      occurredAt: '2026-03-14T10:00:00Z',
    });
    // The earn's event comes off the table's stream; the reminder's straight from the job.
    await bus.drained();
    const run = await club.api('POST', '/v1/admin/jobs/expiry-reminders/run', { asOf: '2027-03-02T00:00:00Z' });
    expect(run.body.reminders).toBeGreaterThanOrEqual(1);
    const events = (await readFile(join(dir, 'events.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(events.filter((e) => e.memberId === m).map((e) => e.type)).toEqual(['points.earned', 'points.expiring']);
    const [record] = await records(m);
    // The local notifier runs on the real clock, so the message is sent or held for the morning.
    expect(['sent', 'deferred']).toContain(record?.status);
    if (record?.status === 'sent') {
      const outbox = await readFile(join(dir, 'outbox.jsonl'), 'utf8');
      expect(outbox).toContain('+989123333333');
    }
  });
});

describe('a completed challenge', () => {
  it('is announced once, in the member language, with the challenge name and the opt-out link', async () => {
    const current = await club.api('GET', '/v1/admin/program');
    const saved = await club.api(
      'PUT',
      '/v1/admin/program',
      {
        automation: { quietHours: null },
        challenges: [
          {
            id: 'two-orders',
            name: { fa: 'دو سفارش در ماه', en: 'Two orders a month' },
            period: { repeat: 'monthly' },
            goal: { kind: 'orders', target: 2 },
            reward: { points: 250 },
          },
        ],
      },
      { 'if-match': current.headers.etag },
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const m = await member({ phone: '+989125556677' });
    await club.api('PUT', `/v1/members/${m}/notifications`, { language: 'fa' });
    const order = (orderId: string) =>
      club.api('POST', '/v1/earn', { memberId: m, orderId, amount: '10', currency: 'USD', occurredAt: new Date().toISOString() });
    await order(uniqueId('o'));
    const second = uniqueId('o');
    expect((await order(second)).body.balance).toBe(270);
    // The same order again (a redelivery) completes nothing new.
    expect((await order(second)).body.duplicate).toBe(true);

    const mine = async () =>
      (await readFile(join(dir, 'outbox.jsonl'), 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((l) => l.to === '+989125556677');
    // The completion comes off the table's stream: drained once the notifier it invoked has sent and
    // recorded the message (an outbox line alone can be read before its record says sent).
    await bus.drained();
    const lines = await mine();
    expect(lines).toHaveLength(1);
    // In Persian, with Persian digits: "۲۵۰ امتیاز", the challenge's Persian name, and the link that stops texts.
    expect(lines[0].text).toContain('دو سفارش در ماه');
    expect(lines[0].text).toContain('۲۵۰');
    expect(lines[0].text).toContain('لغو دریافت پیامک:');
    expect(await records(m)).toEqual([
      expect.objectContaining({ channel: 'sms', status: 'sent', template: 'challenge-completed', language: 'fa' }),
    ]);
  });
});
