import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { EventBridgePublisher } from '../../shared/events/eventbridge-publisher';
import type { DomainEvent } from '../../shared/events/events';
import { HttpSmsSender, SesEmailSender } from '../../shared/notify/senders';
import { messageFor } from '../../shared/notify/templates';

const message = { to: '+989121234567', subject: 's', text: 'سلام ۱۲', reference: 'expiring:m1:2027-03-31T23:59:59.999Z:sms' };

describe('HttpSmsSender (Kavenegar-style panel)', () => {
  it('posts the form with the key in the URL and returns the panel message id', async () => {
    const fetch = vi.fn(
      async () =>
        new Response(JSON.stringify({ return: { status: 200, message: 'تایید شد' }, entries: [{ messageid: 8792343 }] }), { status: 200 }),
    );
    const sender = new HttpSmsSender({
      url: 'https://api.kavenegar.com/v1/{apiKey}/sms/send.json',
      apiKey: async () => 'KEY/1',
      sender: '10004346',
      fetch,
    });
    await expect(sender.send(message)).resolves.toEqual({ providerId: '8792343' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://api.kavenegar.com/v1/KEY%2F1/sms/send.json');
    const form = new URLSearchParams(String(init.body));
    expect(Object.fromEntries(form)).toEqual({ receptor: '+989121234567', message: 'سلام ۱۲', sender: '10004346' });
    expect((init.headers as Record<string, string>).authorization).toBeUndefined();
  });

  it('sends the key as a bearer token when the URL has no {apiKey}, and throws on refusal without leaking it', async () => {
    const fetch = vi.fn(async () => new Response('{"return":{"status":418,"message":"credit"}}', { status: 200 }));
    const sender = new HttpSmsSender({ url: 'https://sms.example/send', apiKey: async () => 'SECRET', fetch });
    await expect(sender.send(message)).rejects.toThrow(/418/);
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer SECRET');
    const failing = new HttpSmsSender({
      url: 'https://sms.example/{apiKey}/send',
      apiKey: async () => 'SECRET',
      fetch: vi.fn(async () => new Response('nope', { status: 401 })),
    });
    const err = await failing.send(message).catch((e: Error) => e);
    expect(String(err)).toMatch(/401/);
    expect(String(err)).not.toMatch(/SECRET/);
  });
});

describe('SesEmailSender', () => {
  it('sends UTF-8 text from the configured identity', async () => {
    const ses = mockClient(SESv2Client);
    onTestFinished(() => ses.restore());
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const sender = new SesEmailSender('club@shop.example', ses as unknown as SESv2Client);
    await expect(sender.send({ ...message, to: 'a@b.example' })).resolves.toEqual({ providerId: 'ses-1' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'club@shop.example',
      Destination: { ToAddresses: ['a@b.example'] },
      Content: { Simple: { Body: { Text: { Data: 'سلام ۱۲', Charset: 'UTF-8' } } } },
    });
    expect(input.Content?.Simple?.Headers).toBeUndefined();
  });

  it('adds the one-click opt-out header fields the message carries', async () => {
    const ses = mockClient(SESv2Client);
    onTestFinished(() => ses.restore());
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-2' });
    const sender = new SesEmailSender('club@shop.example', ses as unknown as SESv2Client);
    const headers = {
      'List-Unsubscribe': '<https://club.example/v1/unsubscribe?t=a.b>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
    await sender.send({ ...message, to: 'a@b.example', headers });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content?.Simple?.Headers).toEqual([
      { Name: 'List-Unsubscribe', Value: '<https://club.example/v1/unsubscribe?t=a.b>' },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ]);
  });
});

describe('EventBridgePublisher', () => {
  const event = (i: number): DomainEvent => ({
    id: `e${i}`,
    type: 'points.earned',
    version: 1,
    occurredAt: '2026-06-01T00:00:00.000Z',
    memberId: 'm',
    data: { points: i },
  });

  it('puts events in batches of ten on the bus, retrying only the failed entries', async () => {
    const eb = mockClient(EventBridgeClient);
    onTestFinished(() => eb.restore());
    eb.on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: '1' }, { ErrorCode: 'ThrottlingException' }, ...Array.from({ length: 8 }, () => ({ EventId: 'x' }))],
      })
      .resolves({ FailedEntryCount: 0, Entries: [] });
    await new EventBridgePublisher('club-bus', eb as unknown as EventBridgeClient).publish(Array.from({ length: 12 }, (_, i) => event(i)));
    const calls = eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!);
    expect(calls.map((c) => c.length)).toEqual([10, 1, 2]);
    expect(JSON.parse(calls[1]![0]!.Detail!)).toMatchObject({ id: 'e1' });
    expect(calls[0]![0]).toMatchObject({ EventBusName: 'club-bus', Source: 'loyalty.club', DetailType: 'points.earned' });
  });

  it('gives up after three attempts with the error codes', async () => {
    const eb = mockClient(EventBridgeClient);
    onTestFinished(() => eb.restore());
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(new EventBridgePublisher('b', eb as unknown as EventBridgeClient).publish([event(1)])).rejects.toThrow(/InternalFailure/);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(3);
  });
});

describe('templates', () => {
  const expiring: DomainEvent = {
    id: 'x',
    type: 'points.expiring',
    version: 1,
    occurredAt: '2027-03-02T00:00:00Z',
    memberId: 'm',
    data: { points: 70, expiresAt: '2027-03-31T23:59:59.999Z' },
  };

  it('writes Persian with Persian digits and the Solar Hijri date, English with a Gregorian one', () => {
    const fa = messageFor(expiring, 'fa', 'Asia/Tehran')!;
    expect(fa.text).toContain('۷۰ امتیاز');
    expect(fa.text).toMatch(/۱۴۰۶/); // 2027-04-01 in Tehran is Farvardin 1406
    const en = messageFor(expiring, 'en', 'UTC')!;
    expect(en.text).toBe('70 of your points expire on 31 March 2027. Use them before then!');
    expect(messageFor({ ...expiring, type: 'points.earned' }, 'en', 'UTC')).toBeUndefined();
  });

  it("announces a challenge's catalog prize once, by its completion naming the code, and its points otherwise", () => {
    const done: DomainEvent = {
      id: 'c',
      type: 'challenge.completed',
      version: 1,
      occurredAt: '2027-12-01T00:00:00Z',
      memberId: 'm',
      data: {
        challengeId: 'two',
        name: { fa: 'دو سفارش', en: 'Two orders' },
        points: 0,
        rewardId: 'coffee',
        code: 'RW-AAAAA-BBBBB-CCCCC-DDDDD',
      },
    };
    expect(messageFor(done, 'en', 'UTC')!.text).toBe('You completed "Two orders": your reward code is RW-AAAAA-BBBBB-CCCCC-DDDDD.');
    expect(messageFor(done, 'fa', 'Asia/Tehran')!.text).toBe('چالش «دو سفارش» را کامل کردید و کد جایزه شما: RW-AAAAA-BBBBB-CCCCC-DDDDD.');
    const points = { ...done, data: { challengeId: 'two', name: { fa: 'دو سفارش', en: 'Two orders' }, points: 300 } };
    expect(messageFor(points, 'en', 'UTC')!.text).toBe('You completed "Two orders": 300 points are yours.');
    expect(messageFor(points, 'fa', 'Asia/Tehran')!.text).toBe('چالش «دو سفارش» را کامل کردید و ۳۰۰ امتیاز گرفتید.');
    const issued: DomainEvent = { ...done, type: 'reward.issued', data: { code: 'RW-AAAAA-BBBBB-CCCCC-DDDDD', challengeId: 'two' } };
    expect(messageFor(issued, 'en', 'UTC')).toBeUndefined();
    expect(messageFor({ ...issued, data: { code: 'RW-1' } }, 'en', 'UTC')!.text).toBe('Your reward code is RW-1.');
  });

  it('names the tier as the program does, not by its id', () => {
    const changed: DomainEvent = {
      id: 't',
      type: 'tier.changed',
      version: 1,
      occurredAt: '2027-12-01T00:00:00Z',
      memberId: 'm',
      data: { tier: 'gold', previousTier: 'silver' },
    };
    const names: Record<string, string> = { gold: 'طلایی' };
    expect(messageFor(changed, 'fa', 'Asia/Tehran', (id) => names[id] ?? id)!.text).toBe('سطح عضویت شما اکنون طلایی است.');
    expect(messageFor(changed, 'en', 'UTC')!.text).toBe('You are now gold.');
  });
});
