/**
 * Behaviour bonuses: sign-up, first purchase, birthday, profile completion and
 * referral. Each is its own ledger entry of type 'bonus' with its reason, under
 * a key on the member (BONUS#<key>), so a retried trigger grants it once. They
 * run after the event that earns them (enrolment, a paid order, a profile
 * edit); a retried event finds what is already granted and grants the rest.
 */
import type { LedgerEntry } from '../domain/ledger';
import { profileComplete, type Member } from '../domain/member';
import { localTime, programRunsFor, type Program } from '../domain/program';
import { decideBonus, profileBonusOwed, type Decision } from '../domain/rules';
import { applyBalanceChange, type BalanceChangeResult, type Owed } from './balance-change';
import type { ClubDeps } from './deps';
import { resolveReferrer } from './referrals';
import type { ChallengeActivity } from '../domain/challenges';
import { withChallenges } from './challenges';

export const BONUS_KEYS = {
  signUp: 'signup',
  firstPurchase: 'first-purchase',
  profileCompletion: 'profile-complete',
  birthday: (year: string) => `birthday-${year}`,
  referred: 'referral-welcome',
  referrer: (referredId: string) => `referral-${referredId}`,
  reversed: (key: string) => `${key}-reversed`,
} as const;

/**
 * Grants points under a key once; 0 points grants nothing. `activity`: what the bonus
 * rewards also moves the member's challenges (a referral, a completed profile), in the
 * same transaction; `undo`: a take-back returns the progress its grant added.
 */
export async function grantBonus(
  deps: ClubDeps,
  program: Program,
  memberId: string,
  bonus: { key: string; points: number; reason: string; orderId?: string; activity?: ChallengeActivity; undo?: LedgerEntry['challenges'] },
): Promise<BalanceChangeResult | undefined> {
  if (bonus.points === 0) return undefined;
  const { activity, undo, ...request } = bonus;
  const settles = bonus.key === BONUS_KEYS.profileCompletion && bonus.points > 0;
  return applyBalanceChange(deps, {
    memberId,
    ref: { kind: 'bonus', memberId, key: bonus.key },
    decide: (member) => {
      const decision = decideBonus(member, request, program, deps.now());
      if (undo?.length) return { ...decision, entry: { ...decision.entry, challenges: undo.map((c) => ({ ...c, added: -c.added })) } };
      const granted = activity ? withChallenges(decision, program, member, () => activity) : decision;
      return settles ? settlingProfileBonus(granted) : granted;
    },
  });
}

/**
 * The profile bonus's payment also marks the member paid (profileBonusSettled), in the same
 * transaction as its entry: the flag caches the ledger fact and cannot disagree with it,
 * and spares every later earn the read of BONUS#profile-complete.
 */
const settlingProfileBonus = (d: Decision): Decision => ({ ...d, next: { ...d.next, profileBonusSettled: true } });

const eligible = programRunsFor;

/** Sign-up and profile completion: after enrolment and after a profile edit. */
export async function afterProfile(deps: ClubDeps, member: Member, enrolled: boolean): Promise<boolean> {
  const program = await deps.program();
  if (!eligible(program, member)) return false;
  const granted = await Promise.all([
    enrolled
      ? grantBonus(deps, program, member.memberId, { key: BONUS_KEYS.signUp, points: program.bonuses.signUp, reason: 'sign-up bonus' })
      : undefined,
    profileComplete(member)
      ? grantBonus(deps, program, member.memberId, {
          key: BONUS_KEYS.profileCompletion,
          points: program.bonuses.profileCompletion,
          reason: 'profile completion bonus',
          activity: { kind: 'profile', at: deps.now().toISOString() },
        })
      : undefined,
  ]);
  return granted.some((g) => g !== undefined && !g.duplicate);
}

/**
 * The profile bonus a member completed their profile for while the club was collecting
 * (outside the pilot, nothing was paid), or whose payment was lost: paid with the member's
 * next earn, in its transaction, once the program runs for them — so no member has to
 * hold an order from the pilot, or the launch to reach them, to get what the page showed.
 * Its usual key (BONUS#profile-complete) decides once; a grant under it already → nothing.
 * The key is read at most once per member: its payment sets the member's flag, and a member
 * paid before the flag existed gets it from the earn that reads the key and finds it paid.
 */
export async function owedProfileBonus(deps: ClubDeps, program: Program, member: Member): Promise<Owed> {
  const points = profileBonusOwed(member, program);
  if (points === 0) return { entries: [] };
  const ref = { kind: 'bonus', memberId: member.memberId, key: BONUS_KEYS.profileCompletion } as const;
  if (await deps.store.getEntry(ref)) return { entries: [], settled: { profileBonusSettled: true } };
  const at = deps.now();
  return {
    entries: [
      {
        ref,
        decide: (state) =>
          settlingProfileBonus(
            withChallenges(
              decideBonus(state, { key: ref.key, points, reason: 'profile completion bonus' }, program, at),
              program,
              state,
              () => ({ kind: 'profile', at: at.toISOString() }),
            ),
          ),
      },
    ],
  };
}

/** The birthday bonus, once per calendar year, in the member's birthday month (program time zone). */
export async function grantBirthdayBonus(deps: ClubDeps, member: Member, program: Program, asOf: Date) {
  if (!member.birthday || program.bonuses.birthday === 0 || !eligible(program, member)) return undefined;
  const today = localTime(asOf, program.timeZone).date;
  if (member.birthday.slice(-5, -3) !== today.slice(5, 7)) return undefined;
  return grantBonus(deps, program, member.memberId, {
    key: BONUS_KEYS.birthday(today.slice(0, 4)),
    points: program.bonuses.birthday,
    reason: `birthday bonus ${today.slice(0, 4)}`,
  });
}

const anyOrderBonus = (p: Program) =>
  p.bonuses.firstPurchase > 0 || p.bonuses.birthday > 0 || p.bonuses.referral.referrer > 0 || p.bonuses.referral.referred > 0;

/** After a paid order (first time or a retry): first purchase, birthday and referral. */
export async function afterEarn(deps: ClubDeps, program: Program, earned: LedgerEntry): Promise<void> {
  // The default program has no bonuses: an earn costs nothing extra.
  if (!anyOrderBonus(program)) return;
  const member = await deps.store.getMember(earned.memberId);
  if (!member || !eligible(program, member)) return;
  const tasks: Promise<unknown>[] = [grantBirthdayBonus(deps, member, program, deps.now())];
  if (earned.firstPurchase) {
    tasks.push(
      grantBonus(deps, program, member.memberId, {
        key: BONUS_KEYS.firstPurchase,
        points: program.bonuses.firstPurchase,
        reason: 'first purchase bonus',
        orderId: earned.orderId,
      }),
    );
  }
  // A referral pays on the first qualifying order (one that earns), once its points are
  // spendable: at once, or at their release. Later orders find it paid (keyed once per member).
  if (earned.points > 0 && !earned.pendingPoints) tasks.push(rewardReferral(deps, program, member, earned));
  await Promise.all(tasks);
}

/** Both sides of a referral, once per referred member; never a self-referral or an unknown referrer. */
export async function rewardReferral(deps: ClubDeps, program: Program, member: Member, earned: LedgerEntry): Promise<void> {
  const { referrer, referred } = program.bonuses.referral;
  if (!member.referredBy || (referrer === 0 && referred === 0)) return;
  // Every later order of a referred member comes here: one read says it was paid, instead of five.
  if (referred > 0 && (await deps.store.getEntry({ kind: 'bonus', memberId: member.memberId, key: BONUS_KEYS.referred }))) return;
  const referrerId = await resolveReferrer(deps, member.referredBy);
  if (!referrerId || referrerId === member.memberId) return;
  await Promise.all([
    grantBonus(deps, program, member.memberId, {
      key: BONUS_KEYS.referred,
      points: referred,
      reason: `referral bonus: referred by ${referrerId}`,
      orderId: earned.orderId,
    }),
    grantBonus(deps, program, referrerId, {
      key: BONUS_KEYS.referrer(member.memberId),
      points: referrer,
      reason: `referral bonus: referred ${member.memberId}`,
      orderId: earned.orderId,
      // A referral counts toward the referrer's challenges when it is paid (at once, or at the order's release).
      activity: { kind: 'referral', at: deps.now().toISOString() },
    }),
  ]);
}

/** Whether a full refund of some order may have bonuses to take back. */
export const refundMayReverseBonuses = (program: Program, earned: LedgerEntry | undefined) =>
  earned !== undefined && (earned.firstPurchase === true || program.bonuses.referral.referrer > 0 || program.bonuses.referral.referred > 0);

/**
 * An order refunded in full: the bonuses it paid are taken back, each once, by
 * the points they granted — the first-purchase bonus of a first order, and the
 * referral (both sides) of the order that paid it.
 */
export async function afterFullRefund(deps: ClubDeps, earned: LedgerEntry): Promise<void> {
  const member = await deps.store.getMember(earned.memberId);
  const program = await deps.program();
  const grants: { memberId: string; key: string }[] = [];
  if (earned.firstPurchase) grants.push({ memberId: earned.memberId, key: BONUS_KEYS.firstPurchase });
  if (member?.referredBy) {
    grants.push({ memberId: earned.memberId, key: BONUS_KEYS.referred });
    const referrerId = await resolveReferrer(deps, member.referredBy);
    if (referrerId) grants.push({ memberId: referrerId, key: BONUS_KEYS.referrer(earned.memberId) });
  }
  await Promise.all(
    grants.map(async (g) => {
      const granted = await deps.store.getEntry({ kind: 'bonus', memberId: g.memberId, key: g.key });
      if (!granted || granted.points <= 0) return;
      // A referral is taken back only with the order that paid it.
      if (g.key !== BONUS_KEYS.firstPurchase && granted.orderId !== earned.orderId) return;
      await grantBonus(deps, program, g.memberId, {
        key: BONUS_KEYS.reversed(g.key),
        points: -granted.points,
        reason: `${granted.reason ?? 'bonus'} taken back: order ${earned.orderId} refunded in full`,
        orderId: earned.orderId,
        undo: granted.challenges,
      });
    }),
  );
}
