/** Messages on one machine: written to `<dir>/outbox.jsonl` and printed, never sent. */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Channel, MessageSender, OutgoingMessage } from '../shared/notify/senders';

export class OutboxSender implements MessageSender {
  constructor(
    readonly channel: Channel,
    private readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  async send(message: OutgoingMessage) {
    const line = { at: new Date().toISOString(), channel: this.channel, ...message };
    // 0600: messages carry sign-in codes and members' addresses.
    await appendFile(join(this.dir, 'outbox.jsonl'), `${JSON.stringify(line)}\n`, { mode: 0o600 });
    this.log(`[outbox] ${this.channel} to ${message.to}: ${message.text}`);
    return { providerId: `outbox:${message.reference}` };
  }
}
