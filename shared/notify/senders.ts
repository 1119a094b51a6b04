/**
 * Where messages go out. Pluggable: SES for email, any HTTP SMS panel that
 * takes a form post with an API key (Kavenegar's send.json works as is), and
 * locally an outbox that only writes and prints.
 */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';

export type Channel = 'sms' | 'email';

export interface OutgoingMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Ours: the event and channel, so a provider can dedupe. */
  readonly reference: string;
  /** Email only: header fields to add (List-Unsubscribe and List-Unsubscribe-Post). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface MessageSender {
  readonly channel: Channel;
  /** Resolves with the provider's id; throws when the provider refused. */
  send(message: OutgoingMessage): Promise<{ providerId?: string }>;
}

export class SesEmailSender implements MessageSender {
  readonly channel = 'email' as const;

  constructor(
    private readonly from: string,
    private readonly client: SESv2Client = new SESv2Client({}),
  ) {}

  async send(message: OutgoingMessage) {
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
            // SendEmail's Simple message takes extra header fields, List-Unsubscribe among them
            // (https://docs.aws.amazon.com/ses/latest/dg/header-fields.html; SESv2 Message.Headers).
            ...(message.headers && { Headers: Object.entries(message.headers).map(([Name, Value]) => ({ Name, Value })) }),
          },
        },
        EmailTags: [{ Name: 'reference', Value: message.reference.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) }],
      }),
    );
    return { providerId: out.MessageId };
  }
}

export interface HttpSmsOptions {
  /** `{apiKey}` in the URL is replaced by the key (Kavenegar: https://api.kavenegar.com/v1/{apiKey}/sms/send.json). */
  readonly url: string;
  readonly apiKey: () => Promise<string>;
  readonly sender?: string;
  /** Form field names. @default Kavenegar's: receptor, message, sender */
  readonly fields?: { readonly to: string; readonly text: string; readonly sender: string };
  readonly fetch?: typeof fetch;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

export class HttpSmsSender implements MessageSender {
  readonly channel = 'sms' as const;

  constructor(private readonly options: HttpSmsOptions) {}

  async send(message: OutgoingMessage) {
    const key = await this.options.apiKey();
    const fields = this.options.fields ?? { to: 'receptor', text: 'message', sender: 'sender' };
    const usesKeyInUrl = this.options.url.includes('{apiKey}');
    const url = this.options.url.replace('{apiKey}', encodeURIComponent(key));
    const form = new URLSearchParams({ [fields.to]: message.to, [fields.text]: message.text });
    if (this.options.sender) form.set(fields.sender, this.options.sender);
    const res = await (this.options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        ...(usesKeyInUrl ? {} : { authorization: `Bearer ${key}` }),
      },
      body: form.toString(),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const body = await res.text();
    // Never echo the URL: it may carry the key.
    if (!res.ok) throw new Error(`SMS panel answered ${res.status}: ${body.slice(0, 200)}`);
    let providerId: string | undefined;
    try {
      const parsed = JSON.parse(body) as { return?: { status?: number; message?: string }; entries?: { messageid?: number | string }[] };
      if (parsed.return?.status !== undefined && parsed.return.status !== 200) {
        throw new Error(`SMS panel refused: ${parsed.return.status} ${parsed.return.message ?? ''}`.trim());
      }
      const id = parsed.entries?.[0]?.messageid;
      providerId = id === undefined ? undefined : String(id);
    } catch (err) {
      if (err instanceof SyntaxError) return { providerId: undefined };
      throw err;
    }
    return { providerId };
  }
}
