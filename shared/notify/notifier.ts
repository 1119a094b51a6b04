/**
 * Turns domain events that need a message into SMS or email: the member's
 * consent and preferred channel, their language, quiet hours (held back and
 * sent when they end), and a record of every message, sent or not. Each event
 * is messaged at most once per channel: the record is claimed before sending.
 */
import type { AutomationSettings } from '../domain/automation-settings';
import { inQuietHours, nextSendTime } from '../domain/automations';
import { phoneDigits, type Member } from '../domain/member';
import { tierLevel, type Program } from '../domain/program';
import type { DomainEvent } from '../events/events';
import type { AutomationStore, MessageRecord, NotifyPrefs } from '../store/automation-store';
import type { ClubStore } from '../store/club-store';
import type { Channel, MessageSender } from './senders';
import { messageFor, OPT_OUT_WORDS, type Language } from './templates';

export interface NotifierDeps {
  readonly store: Pick<ClubStore, 'getMember'>;
  readonly automation: AutomationStore;
  readonly settings: () => Promise<AutomationSettings>;
  readonly senders: Partial<Record<Channel, MessageSender>>;
  readonly now: () => Date;
  /** The running program: tier names for tier.changed messages (ids are shown without it). */
  readonly program?: () => Promise<Program>;
  /** The member's signed one-click opt-out link for a channel; absent (or undefined) when the club has no public address. */
  readonly optOutLink?: (memberId: string, channel: Channel) => Promise<string | undefined>;
}

export type NotifyOutcome = Pick<MessageRecord, 'memberId' | 'eventId' | 'status' | 'reason'> & { channel?: Channel };

export function defaultPrefs(memberId: string): NotifyPrefs {
  return { memberId, transactional: true, marketing: false, channels: ['sms', 'email'] };
}

/** Where the message goes: SMS panels take ASCII digits, so a phone typed in Persian digits is sent normalized. */
function contact(member: Member, channel: Channel): string | undefined {
  if (channel === 'email') return member.email;
  return member.phone ? phoneDigits(member.phone) || undefined : undefined;
}

async function notifyOne(
  deps: NotifierDeps,
  settings: AutomationSettings,
  event: DomainEvent,
  forChannel?: Channel,
): Promise<NotifyOutcome | undefined> {
  const member = await deps.store.getMember(event.memberId);
  if (!member) return undefined;
  const prefs = (await deps.automation.getPrefs(member.memberId)) ?? defaultPrefs(member.memberId);
  const language: Language = prefs.language ?? settings.defaultLanguage;
  const program = event.type === 'tier.changed' ? await deps.program?.() : undefined;
  const message = messageFor(event, language, settings.timeZone, (id) => (program && tierLevel(program, id)?.name) || id);
  if (!message) return undefined;
  const now = deps.now();
  const base = { memberId: member.memberId, eventId: event.id, template: message.template.name, language, at: now.toISOString() };

  const consented = message.template.kind === 'marketing' ? prefs.marketing : prefs.transactional;
  const channel = forChannel ?? prefs.channels.find((c) => contact(member, c) && deps.senders[c]);
  // A message quiet hours held back goes on its channel only if the member still takes messages there:
  // the opt-out link or their page may have stopped it since.
  const reason = !consented
    ? `no consent to ${message.template.kind} messages`
    : forChannel && !prefs.channels.includes(forChannel)
      ? `the member stopped ${forChannel} messages`
      : !channel
        ? 'no channel: no contact or sender for the channels chosen'
        : undefined;
  if (reason || !channel) {
    const record: MessageRecord = {
      ...base,
      channel: channel ?? prefs.channels[0] ?? 'sms',
      status: 'skipped',
      reason: reason ?? 'no channel',
    };
    // A held-back message's own record (deferred, or failed) becomes the skip; a first one is only ever written once.
    await deps.automation.putMessage(record, forChannel ? 'claim' : 'first');
    return { ...record };
  }
  const to = contact(member, channel)!;

  if (!forChannel && inQuietHours(now, settings.quietHours, settings.timeZone)) {
    const sendAt = nextSendTime(now, settings.quietHours, settings.timeZone).toISOString();
    const record: MessageRecord = { ...base, channel, to, status: 'deferred', sendAt };
    if (await deps.automation.putMessage(record, 'first'))
      await deps.automation.defer({ memberId: member.memberId, eventId: event.id, channel, sendAt, event });
    return { memberId: member.memberId, eventId: event.id, channel, status: 'deferred' };
  }

  const previous = await deps.automation.getMessage(member.memberId, event.id, channel);
  const attempts = (previous?.attempts ?? 0) + 1;
  if (!(await deps.automation.putMessage({ ...base, channel, to, status: 'sending', attempts }, 'claim'))) {
    return undefined; // sent (or being sent) by someone else
  }
  try {
    // Every message, transactional too, says how to stop this channel; an email also tells the
    // mailbox (RFC 8058 one-click), as the large providers require of bulk senders since 2024.
    const link = await deps.optOutLink?.(member.memberId, channel);
    const sent = await deps.senders[channel]!.send({
      to,
      subject: message.subject,
      text: link ? `${message.text}\n\n${OPT_OUT_WORDS[language][channel]} ${link}` : message.text,
      reference: `${event.id}:${channel}`,
      ...(link &&
        channel === 'email' && { headers: { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }),
    });
    await deps.automation.putMessage(
      { ...base, channel, to, status: 'sent', attempts, providerId: sent.providerId, at: deps.now().toISOString() },
      'overwrite',
    );
    return { memberId: member.memberId, eventId: event.id, channel, status: 'sent' };
  } catch (err) {
    await deps.automation.putMessage(
      { ...base, channel, to, status: 'failed', attempts, reason: String((err as Error).message).slice(0, 500) },
      'overwrite',
    );
    throw err;
  }
}

/** Messages the events that need one; throws after trying all if any send failed (the caller's retry resends only those). */
export async function notify(deps: NotifierDeps, events: readonly DomainEvent[]): Promise<NotifyOutcome[]> {
  const settings = await deps.settings();
  const outcomes: NotifyOutcome[] = [];
  const failures: unknown[] = [];
  for (const event of events) {
    try {
      const o = await notifyOne(deps, settings, event);
      if (o) outcomes.push(o);
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length) throw new AggregateError(failures, `${failures.length} message(s) failed`);
  return outcomes;
}

/** Sends what quiet hours held back, for the hour buckets up to now (a day back, for missed runs). */
export async function flushDeferred(deps: NotifierDeps): Promise<{ sent: number; failed: number }> {
  const settings = await deps.settings();
  const now = deps.now();
  let sent = 0;
  let failed = 0;
  for (let h = 24; h >= 0; h--) {
    const hour = new Date(now.getTime() - h * 3_600_000).toISOString();
    let cursor: string | undefined;
    do {
      const page = await deps.automation.deferredPage(hour, { cursor, limit: 50 });
      for (const item of page.items) {
        if (item.sendAt > now.toISOString()) continue;
        try {
          const o = await notifyOne(deps, settings, item.event as DomainEvent, item.channel);
          if (o?.status === 'sent') sent += 1;
          await deps.automation.dropDeferred(item);
        } catch {
          failed += 1; // stays deferred-bucketed and recorded as failed; the next flush retries it
        }
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return { sent, failed };
}
