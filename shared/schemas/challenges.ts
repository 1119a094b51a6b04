/** What members and staff see of a member's challenges (GET /v1/me/challenges, GET /v1/members/{memberId}/challenges). */
import * as z from 'zod';
import { Instant } from './common';
import { Challenge, ChallengeGoal } from './program';

export const ChallengeProgressView = z
  .object({
    id: z.string(),
    name: Challenge.shape.name,
    kind: ChallengeGoal.shape.kind,
    category: z.string().optional().meta({ description: 'A category goal: the category whose spend counts.' }),
    target: z.number().int(),
    progress: z
      .number()
      .int()
      .meta({ description: 'In the current period: orders, referrals, whole units of spend, or 1 for a complete profile.' }),
    completedAt: Instant.nullable().meta({
      description: 'When the goal was met in this period (and its reward granted); null until then.',
    }),
    reward: z
      .union([
        z.object({ points: z.number().int() }),
        z.object({
          rewardId: z.string(),
          name: z.string().meta({ description: "The catalog reward's name." }),
        }),
      ])
      .meta({
        description: "What completing gives: points, or a code of this catalog reward (listed with the member's codes once issued).",
      }),
    period: z.string().meta({
      description: "The period's key: once, M2027-03, J1406-01 (a Jalali month), W2027-03-20 (the week's first day).",
      example: 'J1406-01',
    }),
    endsAt: Instant.meta({ description: 'When the period ends (the next starts fresh), in the program time zone.' }),
  })
  .meta({ id: 'ChallengeProgress' });

export const ChallengesView = z
  .object({
    items: z.array(ChallengeProgressView).meta({
      description: 'The challenges that run now and apply to the member, in program order, each with its progress in the current period.',
    }),
  })
  .meta({ id: 'MemberChallenges' });
