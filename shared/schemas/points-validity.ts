/**
 * How long earned points stay valid: its own module so the member page's function,
 * which shows it, does not bundle the whole program schema (about 19 KiB minified).
 */
import * as z from 'zod';

export const PointsValidity = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('months'),
      months: z
        .number()
        .int()
        .min(1)
        .max(120)
        .meta({ description: 'Points last until the end of this many months after the month earned.' }),
    }),
    z.strictObject({
      kind: z.literal('days'),
      days: z
        .number()
        .int()
        .min(1)
        .max(3650)
        .meta({ description: 'Points last until the end of the day this many days after the day earned.' }),
    }),
    z.strictObject({
      kind: z.literal('end-of-year'),
      years: z
        .number()
        .int()
        .min(0)
        .max(10)
        .default(0)
        .meta({ description: '0: the end of the year earned; 1: the end of the next year; …' }),
    }),
    z.strictObject({ kind: z.literal('never') }),
  ])
  .default({ kind: 'months', months: 12 })
  .meta({
    description:
      'How long earned points stay valid (docs/program.md). Days end at 23:59:59.999 UTC. Applies to lots made from the save on (orders, bonuses, adjustments); lots keep the date they got. ' +
      'never: the points never expire. Default: the end of the 12th month after the month earned (earned 2026-03-14 → 2027-03-31T23:59:59.999Z).',
  });
