/**
 * Why a ledger entry happened, as a kind and its parameters the member's page
 * words in the member's language. The ledger keeps its English `reason` (staff
 * and the API read it); the member's page gets this instead, so it never shows
 * English text to a Persian member, nor another member's id (a referral
 * reason names the friend). Pure and free of imports: the staff console words
 * the staff ledger's reasons with it too.
 */

export type BonusKind =
  | 'sign-up'
  | 'first-purchase'
  | 'profile-completion'
  | 'birthday'
  | 'referred'
  | 'referrer'
  | 'come-back'
  | 'welcome';

export type EntryReason =
  | { readonly kind: BonusKind; readonly atLaunch?: true; readonly year?: string }
  | { readonly kind: 'bonus-taken-back'; readonly bonus: BonusKind | null }
  | { readonly kind: 'below-minimum' | 'outside-pilot' | 'order-cap' | 'day-cap' }
  | { readonly kind: 'pending-released' | 'points-expired' | 'order-cancelled' | 'retroactive' }
  | { readonly kind: 'reward-code-expired' | 'reward-code-cancelled'; readonly code: string }
  /**
   * A challenge's reward, or its take-back when a refund left the goal unmet: worded with the
   * challenge's name, which the member's history adds (`name`, null once the challenge is gone).
   */
  | {
      readonly kind: 'challenge-completed' | 'challenge-taken-back';
      readonly challengeId?: string;
      readonly name?: { readonly fa: string; readonly en: string } | null;
    }
  /** What staff wrote for the member (an adjustment's reason: the console asks "why (the member may ask)"). */
  | { readonly kind: 'note'; readonly text: string };

/** A bonus's own reason (also what "… taken back" starts with). */
function bonusOf(reason: string): EntryReason | undefined {
  const atLaunch = reason.endsWith(' (at the launch)') ? ({ atLaunch: true } as const) : {};
  const base = reason.replace(/ \(at the launch\)$/, '');
  if (base === 'sign-up bonus') return { kind: 'sign-up', ...atLaunch };
  if (base === 'first purchase bonus') return { kind: 'first-purchase', ...atLaunch };
  if (base === 'profile completion bonus') return { kind: 'profile-completion' };
  const birthday = /^birthday bonus (\d{4})$/.exec(base);
  if (birthday) return { kind: 'birthday', year: birthday[1]! };
  // "referred by <friend>" / "referred <friend>": the friend's id stays off the page.
  if (base.startsWith('referral bonus: referred by ')) return { kind: 'referred' };
  if (base.startsWith('referral bonus: referred ')) return { kind: 'referrer' };
  if (base.startsWith('member.lapsed')) return { kind: 'come-back' };
  if (base.startsWith('member.welcomed')) return { kind: 'welcome' };
  return undefined;
}

const EARN_NOTES: Record<string, EntryReason> = {
  'below the minimum order': { kind: 'below-minimum' },
  'the program runs for its pilot group only': { kind: 'outside-pilot' },
  'capped at the maximum points per order': { kind: 'order-cap' },
  'capped at the maximum points per day': { kind: 'day-cap' },
};

/** The reason of a stored entry as the member's page shows it; undefined when there is nothing to say (or nothing for the member). */
export function entryReason(entry: {
  readonly type: string;
  readonly reason?: string;
  readonly challengeId?: string;
}): EntryReason | undefined {
  // A challenge's reward entries carry the challenge: its English reason ("challenge <id> (<period>) completed") is for staff.
  if (entry.challengeId !== undefined) {
    return { kind: entry.type === 'bonus' ? 'challenge-completed' : 'challenge-taken-back', challengeId: entry.challengeId };
  }
  const r = entry.reason?.trim();
  if (!r) return undefined;
  if (entry.type === 'adjust') return { kind: 'note', text: r };
  // First: a bonus taken back starts with the bonus's own reason.
  const takenBack = /^(.*) taken back: order .* refunded in full$/.exec(r);
  if (takenBack) return { kind: 'bonus-taken-back', bonus: (bonusOf(takenBack[1]!)?.kind as BonusKind | undefined) ?? null };
  const bonus = bonusOf(r);
  if (bonus) return bonus;
  if (EARN_NOTES[r]) return EARN_NOTES[r];
  if (r === 'pending points released after the return window') return { kind: 'pending-released' };
  if (r.startsWith('points expired at ')) return { kind: 'points-expired' };
  if (r.startsWith('retroactive points for order ')) return { kind: 'retroactive' };
  const code = /^reward code (\S+) expired unused$/.exec(r);
  if (code) return { kind: 'reward-code-expired', code: code[1]! };
  // Staff's words after the colon are for staff: the page says only that the code was cancelled.
  const cancelled = /^reward code (\S+) cancelled: /.exec(r);
  if (cancelled) return { kind: 'reward-code-cancelled', code: cancelled[1]! };
  // A shop's cancellation ("order cancelled", WooCommerce's "order refunded"); a shop's own refund note stays off the page.
  if (entry.type === 'reverse' && /^order [a-z-]+$/.test(r)) return { kind: 'order-cancelled' };
  return undefined;
}
