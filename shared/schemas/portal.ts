/** Members' portal links and the /v1/me routes they open (docs/pages.md). */
import * as z from 'zod';
import { ExternalKey, Instant, MemberId, Points } from './common';
import { PatchMemberBody, ReferredBy } from './members';
import { PointsValidity } from './points-validity';
import { RewardCodeView } from './rewards';

export const PortalLinkBody = z
  .strictObject({
    lang: z.enum(['fa', 'en']).optional().meta({ description: "The page's language; absent: the browser's." }),
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .optional()
      .meta({ description: 'How long the link lasts; default LOYALTY_PORTAL_TTL_MINUTES (30).' }),
  })
  .meta({ id: 'PortalLinkRequest' });

export const PortalLinkView = z
  .object({
    url: z.string().meta({ description: 'The member page with the token in the fragment (#t=…), so it never reaches server logs.' }),
    token: z.string().meta({ description: 'Send as Authorization: Bearer <token> to /v1/me/*.' }),
    expiresAt: Instant,
  })
  .meta({ id: 'PortalLink' });

const EarnRule = z
  .object({ kind: z.string() })
  .catchall(z.unknown())
  .meta({ description: 'per-unit, minimum-order, category, pending, campaign, bonus, tier or expiry, with its facts.' });

export const MeView = z
  .object({
    memberId: MemberId,
    name: z.string().nullable(),
    tier: z.string(),
    tierName: z.string().nullable(),
    tierProgress: z.object({}).catchall(z.unknown()).nullable().meta({ description: 'As on GET /v1/members/{memberId}.' }),
    balance: Points,
    lifetimePoints: Points,
    pendingPoints: Points,
    expiring: z.array(z.object({ points: Points, expiresAt: Instant })),
    expiringSoon: z.array(z.object({ points: Points, expiresAt: Instant })).meta({ description: 'Lots expiring within 90 days.' }),
    joinedAt: Instant,
    referralCode: z.string().nullable(),
    collecting: z
      .object({ launchesAt: z.string().nullable().meta({ description: "The program's planned launch day (yyyy-mm-dd), when set." }) })
      .nullable()
      .meta({
        description:
          'Not null while the program does not yet run for this member (a pilot they are outside): the page says what the club will offer and when, and promises no points now.',
      }),
    profile: z
      .object({
        email: z.string().nullable(),
        phone: z.string().nullable(),
        birthday: z.string().nullable().meta({ description: 'yyyy-mm-dd, or --mm-dd when the year is unknown (Gregorian).' }),
        complete: z.boolean(),
        missing: z.array(z.enum(['email', 'phone', 'name', 'birthday'])).meta({ description: 'What the profile still lacks.' }),
        bonusPoints: Points.meta({ description: "The program's profile-completion bonus; 0 once paid, or when it pays none." }),
      })
      .meta({ description: 'What the member told the club, and what completing it earns.' }),
    program: z.object({
      currency: z.string().meta({ description: 'What amounts (e.g. a reward threshold) are kept in.' }),
      displayCurrency: z
        .string()
        .meta({ description: 'The unit to show money in: IRT for IRR and IRT programs by default.', example: 'IRT' }),
      displayRate: z.string().meta({ description: 'Display units per unit of currency ("0.1": rials shown as Toman).', example: '0.1' }),
      timeZone: z.string(),
      pointsValidity: PointsValidity.unwrap().meta({ description: "How long points stay valid, as in the program's pointsValidity." }),
      howToEarn: z.array(EarnRule),
    }),
  })
  .meta({ id: 'Me' });

export const MeLedgerView = z
  .object({
    items: z.array(
      z.object({
        entryId: z.string(),
        type: z.enum(['earn', 'bonus', 'redeem', 'reverse', 'expire', 'adjust']),
        points: Points,
        balanceAfter: Points,
        orderId: z.string().optional(),
        reason: z
          .string()
          .optional()
          .meta({ description: "The ledger's stored text; left out where it could name another member (a referral)." }),
        reasonKind: z.string().optional().meta({
          description:
            'Why, for the page to word in its language: sign-up, first-purchase, profile-completion, birthday, referred, referrer, come-back, welcome, bonus-taken-back, challenge-completed, challenge-taken-back, below-minimum, outside-pilot, order-cap, day-cap, pending-released, points-expired, order-cancelled, retroactive, reward-code-expired, reward-code-cancelled or note.',
        }),
        reasonParams: z.record(z.string(), z.unknown()).optional().meta({
          description:
            'Its facts: year (birthday), atLaunch, bonus (bonus-taken-back), code (reward-code-expired, reward-code-cancelled), text (note: what staff wrote), name (challenge-completed, challenge-taken-back: the names {fa, en} of the challenge, null once it left the program).',
        }),
        rewardId: z.string().optional(),
        pendingPoints: Points.optional(),
        at: Instant,
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'MeLedgerPage' });

export const MeRewardsView = z
  .object({
    balance: Points,
    items: z.array(
      z.object({
        rewardId: z.string(),
        name: z.string(),
        kind: z.string(),
        pointsPrice: Points,
        amount: z.string().nullable(),
        percent: z.number().nullable(),
        affordable: z.boolean(),
        pointsToGo: Points,
      }),
    ),
  })
  .meta({ id: 'MeRewards' });

export const MeRedeemBody = z
  .strictObject({
    rewardId: ExternalKey,
    idempotencyKey: ExternalKey.optional().meta({ description: 'Required here or as an Idempotency-Key header.' }),
  })
  .meta({ id: 'MeRedeem' });

/** The fields a member edits themselves; the shapes are the staff edit's. */
export const MeProfileBody = z
  .strictObject({
    name: PatchMemberBody.shape.name.unwrap().unwrap(),
    email: PatchMemberBody.shape.email.unwrap().unwrap().meta({
      description: 'A new email is kept only once the code sent to it is confirmed (202, then POST /v1/me/contact/verify).',
    }),
    phone: z.string().min(1).max(32).meta({
      description:
        "A new phone, in any form the program's phone region reads; kept only once the code sent to it is confirmed (202, then POST /v1/me/contact/verify).",
    }),
    birthday: PatchMemberBody.shape.birthday.unwrap(),
    language: z.enum(['fa', 'en']).meta({ description: "The messages' and the page's language (kept with the message preferences)." }),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' })
  // One code at a time: the member confirms one new address, then the other.
  .refine((b) => b.email === undefined || b.phone === undefined, { message: 'change email or phone, not both at once' })
  .meta({ id: 'MeProfile', description: 'Fields to change; birthday null clears it.' });

export const ContactVerificationView = z
  .strictObject({
    verification: z.strictObject({
      channel: z.enum(['email', 'phone']),
      sentTo: z.string().meta({ description: 'The new address, masked (s***@example.com, +98912*****67).' }),
    }),
  })
  .meta({
    id: 'ContactVerification',
    description: 'A code went to the new address; the old one stays until POST /v1/me/contact/verify confirms it. Other fields are kept.',
  });

export const PortalLinksRevokedView = z
  .object({ memberId: MemberId, revokedAt: Instant.meta({ description: 'Links issued before this no longer open the page.' }) })
  .meta({ id: 'PortalLinksRevoked' });

/** Sign-in on the member page with a one-time code (docs/pages.md). */
const SignInPhone = z.string().min(1).max(32).meta({ description: "The member's phone, in any form the program's phone region reads." });
const SignInEmail = z.email().max(254).meta({ description: "The member's email." });
const exactlyOneAddress = (b: { phone?: string; email?: string }) => (b.phone === undefined) !== (b.email === undefined);
const ONE_ADDRESS = { message: 'give exactly one of phone, email' };

export const SignInBody = z
  .strictObject({ phone: SignInPhone.optional(), email: SignInEmail.optional() })
  .refine(exactlyOneAddress, ONE_ADDRESS)
  .meta({ id: 'SignInRequest' });

export const SignInAcceptedView = z
  .strictObject({})
  .meta({ id: 'SignInAccepted', description: 'Always empty: the same answer whether or not a member has the phone or email.' });

export const VerifyBody = z
  .strictObject({
    phone: SignInPhone.optional(),
    email: SignInEmail.optional(),
    code: z
      .string()
      .regex(/^[0-9\u06F0-\u06F9\u0660-\u0669]{6}$/, '6 digits (Persian digits are fine)')
      .meta({ description: 'The 6-digit code sent to the phone or email.' }),
    referredBy: ReferredBy.optional().meta({
      description: "Only when the program's enrolment.selfService enrols a new member: the referrer's referral code (or member id).",
    }),
  })
  .refine(exactlyOneAddress, ONE_ADDRESS)
  .meta({ id: 'VerifyRequest' });

export const ContactVerifyBody = z
  .strictObject({
    phone: SignInPhone.optional().meta({ description: 'The new phone PATCH /v1/me sent the code to.' }),
    email: SignInEmail.optional().meta({ description: 'The new email PATCH /v1/me sent the code to.' }),
    code: VerifyBody.shape.code,
  })
  .refine(exactlyOneAddress, ONE_ADDRESS)
  .meta({ id: 'ContactVerifyRequest' });

export const PortalSessionView = z
  .object({
    token: z.string().meta({ description: 'Send as Authorization: Bearer <token> to /v1/me/*.' }),
    expiresAt: Instant,
  })
  .meta({ id: 'PortalSession' });
export const MeCodesView = z
  .object({
    items: z.array(RewardCodeView).meta({
      description: "The member's reward codes, newest first, each as GET /v1/rewards/codes/{code} answers it, without its shop push.",
    }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'MeCodes' });
