import * as z from 'zod';
import { Instant, MemberId, ExternalKey, Points, PointsMoved } from './common';
import { isSearchableName } from '../domain/names';
import { normalizeCode } from '../domain/referral-code';

const Email = z.email().max(254);
const Phone = z
  .string()
  .max(32)
  .regex(/^\+?[0-9\u06F0-\u06F9\u0660-\u0669 ()-]{6,31}$/, 'digits, optionally with a leading + (Persian digits are fine)');
const Birthday = z.string().regex(/^(\d{4}|-)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'yyyy-mm-dd, or --mm-dd when the year is unknown');
const Name = z.string().trim().min(1).max(200);
const Channel = z.string().min(1).max(40);
const Tags = z.array(z.string().min(1).max(64)).max(50).meta({ description: 'Labels the program targets (campaigns, pilot).' });
/**
 * The referrer: a member id, or their referral code as a person types it. A code
 * is canonicalised here, before any shape is checked ("EVDP 7PSC" is no member id
 * but is a code); text that is a member id is kept as given, and the first order
 * decides which it names (a member first, then a code).
 */
export const ReferredBy = z
  .string()
  .max(128)
  .transform((text, ctx) => {
    const trimmed = text.trim();
    if (MemberId.safeParse(trimmed).success) return trimmed;
    const code = normalizeCode(trimmed);
    if (code) return code;
    ctx.addIssue({ code: 'custom', message: "the referrer's member id, or their referral code (8 characters like K7M2-QX9P)" });
    return z.NEVER;
  })
  .meta({
    description:
      "The referrer's member id, or their referral code as typed: case, spaces and dashes don't matter, Persian/Arabic digits are digits, O/I/L read as 0/1/1. A code is kept as four characters, a dash and four more (K7M2-QX9P).",
    example: 'K7M2-QX9P',
  });
const ExternalIds = z.strictObject({ shopify: ExternalKey.optional(), woocommerce: ExternalKey.optional() });

export const EnrolMemberBody = z
  .strictObject({
    memberId: MemberId.optional(),
    email: Email.optional(),
    phone: Phone.optional(),
    name: Name.optional(),
    birthday: Birthday.optional(),
    channel: Channel.optional(),
    referredBy: ReferredBy.optional(),
    tags: Tags.optional(),
    externalIds: ExternalIds.optional(),
  })
  .meta({ id: 'EnrolMember' });

export const PatchMemberBody = z
  .strictObject({
    email: Email.nullable().optional(),
    phone: Phone.nullable().optional(),
    name: Name.nullable().optional(),
    birthday: Birthday.nullable().optional(),
    channel: Channel.nullable().optional(),
    tags: Tags.nullable().optional(),
    externalIds: z.strictObject({ shopify: ExternalKey.nullable().optional(), woocommerce: ExternalKey.nullable().optional() }).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' })
  .meta({ id: 'PatchMember', description: 'Fields to change; null clears one.' });

const LOOKUPS = ['email', 'phone', 'shopifyCustomerId', 'woocommerceCustomerId', 'name'] as const;

export const MemberLookupQuery = z
  .strictObject({
    email: z.string().min(1).max(254).optional(),
    phone: z.string().min(1).max(32).optional(),
    shopifyCustomerId: ExternalKey.optional(),
    woocommerceCustomerId: ExternalKey.optional(),
    name: z.string().max(200).refine(isSearchableName, 'give at least 2 letters of a word of the name').optional().meta({
      description:
        'Name search: members with a name word starting with each word given (case, Persian/Arabic letters, half-spaces and marks ignored), by name; at most 20 a page, then nextCursor.',
    }),
    cursor: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .meta({ description: 'Name search only: the nextCursor of the previous page of the same name search.' }),
  })
  .refine((q) => LOOKUPS.filter((k) => q[k] !== undefined).length === 1, {
    message: 'give exactly one of email, phone, shopifyCustomerId, woocommerceCustomerId, name',
  })
  .refine((q) => q.cursor === undefined || q.name !== undefined, { message: 'cursor continues a name search only', path: ['cursor'] });

export const MemberPathParams = z.object({ memberId: MemberId });

export const LedgerQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(1024).optional(),
});

export const AdjustmentBody = z
  .strictObject({
    points: PointsMoved.refine((p) => p !== 0, 'must not be zero'),
    reason: z.string().trim().min(3).max(500),
    idempotencyKey: ExternalKey.optional(),
    actor: z.string().min(1).max(128).optional().meta({ description: 'Who made the correction (audit).' }),
  })
  .meta({ id: 'Adjustment' });

export const MemberView = z
  .object({
    memberId: MemberId,
    email: z.string().nullable(),
    phone: z.string().nullable(),
    name: z.string().nullable(),
    birthday: z.string().nullable(),
    channel: z.string().nullable(),
    referredBy: z.string().nullable(),
    tier: z.string(),
    tags: z.array(z.string()).optional(),
    tierProgress: z
      .object({
        basis: z.enum(['points', 'spend']),
        qualifyingPoints: Points.optional().meta({ description: 'basis points' }),
        qualifyingSpend: Points.optional().meta({ description: 'basis spend: whole units of the program currency' }),
        windowMonths: z.number().int(),
        nextTier: z
          .object({ id: z.string(), name: z.string(), threshold: Points, pointsToGo: Points.optional(), spendToGo: Points.optional() })
          .nullable(),
      })
      .optional()
      .meta({ description: 'Qualifying points in the rolling window and what the next tier needs (when the program has tiers).' }),
    tierKeptUntil: Instant.nullable().optional(),
    tierHistory: z.array(z.object({ from: z.string(), to: z.string(), at: Instant, reason: z.string() })).optional(),
    balance: Points,
    lifetimePoints: Points,
    expiring: z.array(z.object({ points: Points, expiresAt: Instant })).meta({ description: 'The balance by expiry date, soonest first.' }),
    pointsNeverExpiring: Points.meta({
      description: 'The rest of the balance: points earned while the program\'s pointsValidity was "never".',
    }),
    pendingPoints: Points.meta({ description: 'Points waiting out the return window; not spendable yet.' }),
    pending: z.array(z.object({ points: Points, releaseAt: Instant, orderId: z.string() })),
    joinedAt: Instant,
    lastActivityAt: Instant.nullable(),
    externalIds: z.object({ shopify: z.string().optional(), woocommerce: z.string().optional() }),
  })
  .meta({ id: 'Member' });

export const MemberList = z
  .object({
    items: z.array(MemberView),
    nextCursor: z.string().nullable().optional().meta({
      description:
        'Name search only: more members may match; send it back as cursor with the same name for the next page (null: no more). A page can hold fewer than 20, even none, when its read budget was spent first.',
    }),
  })
  .meta({ id: 'MemberList' });

export const LedgerEntryView = z
  .object({
    entryId: z.string(),
    type: z.enum(['earn', 'bonus', 'redeem', 'reverse', 'expire', 'adjust']),
    points: Points,
    balanceAfter: Points,
    orderId: z.string().optional(),
    refundId: z.string().optional(),
    reason: z.string().optional(),
    amount: z.string().optional(),
    currency: z.string().optional(),
    actor: z.string().optional(),
    pendingPoints: Points.optional().meta({
      description: 'Earn: points pending until releaseAt; refund: pending points cancelled (negative).',
    }),
    releaseAt: Instant.optional(),
    campaigns: z.array(z.string()).optional(),
    challengeId: z
      .string()
      .optional()
      .meta({ description: "A challenge's reward or its take-back: the challenge (the console names it)." }),
    period: z.string().optional().meta({ description: "With challengeId: the challenge's period, e.g. J1406-01." }),
    rewardId: z.string().optional().meta({ description: 'A redemption of, or a challenge prize from, this catalog reward.' }),
    rewardCode: z.string().optional().meta({ description: 'The reward code the entry issued.' }),
    programVersion: z.number().int(),
    at: Instant,
  })
  .meta({ id: 'LedgerEntry' });

export const LedgerPageView = z.object({ items: z.array(LedgerEntryView), nextCursor: z.string().nullable() }).meta({ id: 'LedgerPage' });

export const AdjustmentResult = z
  .object({ entryId: z.string(), points: Points, balance: Points, reason: z.string(), duplicate: z.boolean() })
  .meta({ id: 'AdjustmentResult' });

export const ReferralCodeView = z
  .object({
    memberId: MemberId,
    code: z
      .string()
      .meta({ description: 'Four characters, a dash, four more; a new member gives it as referredBy.', example: 'K7M2-QX9P' }),
  })
  .meta({ id: 'ReferralCode' });

/** Who the bearer of GET /v1/staff/me is: the console shows only what the role may do. */
export const StaffView = z
  .object({
    actor: z.string().meta({ description: "Recorded as the actor of what they change; 'api' for the API token." }),
    role: z.enum(['viewer', 'operator', 'admin']),
    via: z.enum(['api-token', 'staff-token', 'cognito']),
  })
  .meta({ id: 'Staff' });
