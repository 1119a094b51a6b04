import * as z from 'zod';

export const NotificationPrefsBody = z
  .strictObject({
    transactional: z.boolean().optional().meta({ description: 'Points notices (expiring, expired, rewards, tier). Default true.' }),
    marketing: z.boolean().optional().meta({ description: 'Offers (welcome, we-miss-you). Default false: needs consent.' }),
    channels: z
      .array(z.enum(['sms', 'email']))
      .max(2)
      .refine((c) => new Set(c).size === c.length, 'each channel once')
      .optional()
      .meta({ description: 'Preferred first; the first with a contact and a configured sender is used. [] = no messages.' }),
    language: z.enum(['fa', 'en']).optional(),
  })
  .meta({ id: 'NotificationPreferences' });

export const UnsubscribeQuery = z.strictObject({
  t: z.string().min(1).max(1024).meta({ description: "The signed token from the message's link (one member, one channel)." }),
});

/** RFC 8058's one-click form: what a mailbox POSTs (and the page's own button). */
export const UnsubscribeForm = z.object({ 'List-Unsubscribe': z.literal('One-Click').optional() }).meta({
  description: 'List-Unsubscribe=One-Click (RFC 8058); the token alone decides, the body is not required.',
});

export const NotificationPrefsView = z
  .object({
    memberId: z.string(),
    transactional: z.boolean(),
    marketing: z.boolean(),
    channels: z.array(z.enum(['sms', 'email'])),
    language: z.enum(['fa', 'en']).optional(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'NotificationPreferencesView' });
