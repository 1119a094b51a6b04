/**
 * What the receiver puts on the queue: the delivery exactly as the shop sent it
 * (raw body, the shop's headers minus signatures) and the id the club gave it.
 * The consumer, the failed-delivery list and replays all work from this.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { WebhookSource } from '../config';

export const WebhookEnvelope = z.object({
  v: z.literal(1),
  /** The club's id for this delivery (a ULID); a shop's redelivery gets a new one. */
  id: z.string().min(1),
  source: z.enum(['shopify', 'woocommerce', 'generic']),
  /** orders/paid, order.updated, order.paid ... */
  topic: z.string(),
  receivedAt: z.string(),
  /** Lower-cased; signatures and credentials removed. */
  headers: z.record(z.string(), z.string()),
  /**
   * The body text exactly as sent. Bytes that are not UTF-8 can't be text: then this
   * is them decoded with U+FFFD (for reading) and `bodyBase64` holds them exactly.
   */
  body: z.string(),
  bodyBase64: z.string().optional(),
});
export type WebhookEnvelope = z.infer<typeof WebhookEnvelope>;

const KEPT_PREFIXES = ['x-shopify-', 'x-wc-webhook-', 'x-loyalty-'];
const KEPT_NAMES = new Set(['content-type', 'user-agent']);
const SECRET_NAMES = new Set(['x-shopify-hmac-sha256', 'x-wc-webhook-signature', 'x-loyalty-signature']);

/** The headers worth keeping with a delivery: the shop's own, never a signature or credential. */
export function keptHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || SECRET_NAMES.has(name)) continue;
    if (KEPT_NAMES.has(name) || KEPT_PREFIXES.some((p) => name.startsWith(p))) out[name] = value;
  }
  return out;
}

export function topicOf(source: WebhookSource, headers: Record<string, string | undefined>): string {
  if (source === 'shopify') return headers['x-shopify-topic'] ?? '';
  if (source === 'woocommerce') return headers['x-wc-webhook-topic'] ?? '';
  return headers['x-loyalty-event'] ?? '';
}

/**
 * The same delivery sent twice (a shop's retry) has the same content id, so a
 * poison delivery is parked once however often the shop resends it.
 */
export function contentId(env: Pick<WebhookEnvelope, 'source' | 'topic' | 'body' | 'bodyBase64'>): string {
  const hash = createHash('sha256')
    .update(`${env.source}\n${env.topic}\n${env.bodyBase64 ?? env.body}`)
    .digest('hex');
  return `${env.source}-${hash.slice(0, 32)}`;
}

/** The body as the envelope carries it: text, and the exact bytes too when they are not UTF-8. */
export function envelopeBody(bytes: Buffer): Pick<WebhookEnvelope, 'body' | 'bodyBase64'> {
  const body = bytes.toString('utf8');
  return isUtf8(bytes) ? { body } : { body, bodyBase64: bytes.toString('base64') };
}
