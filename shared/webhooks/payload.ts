/** Reading shop payloads: exact ids, zod failures as parked reasons, times in UTC. */
import * as z from 'zod';
import { WebhookRejected } from './commands';

/**
 * JSON.parse, but integer ids too long for a double (Shopify's REST ids can be)
 * are read as strings, so `"id": 820982911946154508` keeps every digit.
 */
export function parsePayload(body: string): unknown {
  const exact = body.replace(/("[A-Za-z_]*id"\s*:\s*)(\d{16,})(?=\s*[,}\]])/g, '$1"$2"');
  try {
    return JSON.parse(exact);
  } catch {
    throw new WebhookRejected('MALFORMED_PAYLOAD', 'the body is not valid JSON');
  }
}

export const Id = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
export const Amount = z.union([z.string(), z.number()]);
export const Currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/)
  .transform((c) => c.toUpperCase());
const optionalText = z
  .string()
  .nullish()
  .transform((s) => (s?.trim() ? s.trim() : undefined));
export const Text = optionalText;

export function read<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new WebhookRejected('MALFORMED_PAYLOAD', `${what}: ${problems.join('; ')}`);
}

/** ISO 8601 in UTC, or undefined when absent or not a time. */
export function utc(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  // WooCommerce's *_gmt fields carry no zone: they are UTC.
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
