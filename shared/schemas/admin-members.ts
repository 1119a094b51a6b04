import * as z from 'zod';
import { MemberView } from './members';

export const MemberListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).max(1024).optional(),
});

export const MemberPageView = z
  .object({
    items: z.array(MemberView),
    nextCursor: z.string().nullable().meta({ description: 'null on the last page' }),
  })
  .meta({ id: 'MemberPage' });
