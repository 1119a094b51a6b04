import * as z from 'zod';
import { isDecimalString, MAX_AMOUNT, MAX_POINTS, parseDecimal, withinMaxAmount } from '../domain/money';

/** Ids the club keys on: printable, no spaces or '#', so they can't forge a key. */
export const MemberId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/, 'letters, digits and _ . : @ -, at most 128, starting with a letter or digit')
  .meta({ description: 'The member id; generated (ULID) when the store does not bring its own.', example: 'cust-1042' });

/** Order, refund and idempotency keys come from other systems: any printable text up to 128. */
export const ExternalKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s#\u0000-\u001f\u007f]+$/, 'printable, without spaces or #');

/** The decimal text the transform below accepts, stated for the reference (the transform enforces it). */
const DECIMAL_TEXT = '^\\s*(0|[1-9]\\d{0,29})(\\.\\d{1,12})?\\s*$';

export const Money = z
  .union([z.string().meta({ pattern: DECIMAL_TEXT }), z.number().nonnegative().meta({ maximum: MAX_AMOUNT })])
  .transform((v, ctx) => {
    const text = typeof v === 'number' ? String(v) : v.trim();
    if (!isDecimalString(text)) {
      ctx.addIssue({ code: 'custom', message: 'a non-negative decimal such as "199.90"' });
      return z.NEVER;
    }
    if (!withinMaxAmount(parseDecimal(text)!)) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_AMOUNT} (a hundred billion)` });
      return z.NEVER;
    }
    return text;
  })
  // The answer side is the canonical text: the reference then types it as a string, not unknown.
  .pipe(z.string())
  .meta({ description: `A decimal string, e.g. "199.90"; numbers are accepted too. At most ${MAX_AMOUNT}.`, example: '199.90' });

export const Currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code such as USD or IRR')
  .overwrite((c) => c.toUpperCase())
  .meta({ example: 'USD' });

export const Points = z.number().int().safe();
/** Points a request moves (an adjustment, a redemption): bounded so balances and counters stay exact. */
export const PointsMoved = z.number().int().min(-MAX_POINTS).max(MAX_POINTS);

export const Instant = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601', example: '2026-03-14T10:00:00Z' });

export const HealthView = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
