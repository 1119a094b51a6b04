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
