import type { PointsLot } from './lots';

/** How a member is known outside the club; each is unique across members. */
export interface ExternalIds {
  readonly shopify?: string;
  readonly woocommerce?: string;
}

export interface MemberProfile {
  readonly email?: string;
  readonly phone?: string;
  readonly name?: string;
  /** yyyy-mm-dd or --mm-dd (year unknown). */
  readonly birthday?: string;
  /** Where the member joined: web, pos, shopify, woocommerce, import… */
  readonly channel?: string;
  readonly referredBy?: string;
  /** Labels campaigns and the pilot target (e.g. 'vip', 'pilot'). */
  readonly tags?: readonly string[];
  readonly externalIds: ExternalIds;
}

/** One tier change, kept on the member (newest last, the last 20). */
export interface TierChange {
  readonly from: string;
  readonly to: string;
  readonly at: string;
  readonly reason: string;
}

/** What the program keeps on the member item, written in the same transaction as the points. */
export interface ProgramState {
  /** Points earned from orders by local day (the per-day cap), the last few days only. */
  readonly earnDays?: Readonly<Record<string, number>>;
  /** Qualifying points by month ('yyyy-mm') inside the tier window. */
  readonly tierPoints?: Readonly<Record<string, number>>;
  /** Qualifying spend (whole units of the program currency) by month, when tiers count spend. */
  readonly tierSpend?: Readonly<Record<string, number>>;
  readonly tier?: string;
  readonly tierSince?: string;
  /** The tier is kept at least until this instant (its review); null for the base tier after a review. */
  readonly tierKeptUntil?: string | null;
  readonly tierHistory?: readonly TierChange[];
  /** Orders' points inside their return window, not yet spendable (soonest release first). */
  readonly pending?: readonly PendingPoints[];
  /**
   * The profile-completion bonus is paid (its entry BONUS#profile-complete exists), so an earn
   * need not read that entry again. A cache of the ledger fact, set only in the transaction that
   * commits the entry (or, for a member paid before it existed, by the earn that read the entry
   * and found it), so the two cannot disagree.
   */
  readonly profileBonusSettled?: boolean;
}

export interface PendingPoints {
  readonly orderId: string;
  readonly points: number;
  readonly releaseAt: string;
  /** The lot the points join when released; absent: the lot that never expires. */
  readonly expiresAt?: string;
}

export interface Member extends MemberProfile, Omit<ProgramState, 'tier'> {
  readonly memberId: string;
  readonly tier: string;
  /** May be negative after a refund of points already spent. */
  readonly balance: number;
  readonly lifetimePoints: number;
  /** Oldest first; sum equals max(balance, 0). */
  readonly lots: readonly PointsLot[];
  readonly joinedAt: string;
  readonly lastActivityAt?: string;
  /** Last paid order: what re-engagement measures lapses from. */
  readonly lastPurchaseAt?: string;
  /** Orders recorded, and when the first and last were (the report counters' order history). */
  readonly orders?: number;
  readonly firstOrderAt?: string;
  readonly lastOrderAt?: string;
  /** Number of ledger entries so far; every balance write moves it by one. */
  readonly seq: number;
  /** Moves on every profile change, so two edits can't interleave their identity claims. */
  readonly profileVersion: number;
  /** When the profile was last edited: the day the table's stream counts a profile completed or broken on (docs/reports.md). */
  readonly profileEditedAt?: string;
  /** Portal links issued up to this instant no longer open the member's page (staff withdrew them). */
  readonly portalLinksRevokedAt?: string;
}

export const DEFAULT_TIER = 'member';

/** Email, phone, name and birthday all given: what the profile bonus pays for and the reports count. */
export const profileComplete = (m: Pick<MemberProfile, 'email' | 'phone' | 'name' | 'birthday'>) =>
  Boolean(m.email && m.phone && m.name && m.birthday);

/** Emails compare case-insensitively. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Persian and Arabic-Indic digits, as phones typed in Iran often arrive, become ASCII. */
export function toAsciiDigits(text: string): string {
  return text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

/**
 * The key a stored phone is claimed under: digits with a leading + kept. Phones
 * enter the club as E.164 (phone.ts), which this leaves as it is; a phone stored
 * before that keeps the claim it was taken under until normalize-phones moves it.
 */
export function phoneDigits(phone: string): string {
  const trimmed = toAsciiDigits(phone.trim());
  const digits = trimmed.replace(/[^\d]/g, '');
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}

/** The identity claims a member holds: what must be unique across the club. */
export type ClaimKind = 'email' | 'phone' | 'shopify' | 'woocommerce';

export interface Claim {
  readonly kind: ClaimKind;
  readonly value: string;
}

export function claimsOf(profile: Pick<MemberProfile, 'email' | 'phone' | 'externalIds'>): Claim[] {
  const claims: Claim[] = [];
  if (profile.email) claims.push({ kind: 'email', value: normalizeEmail(profile.email) });
  if (profile.phone) claims.push({ kind: 'phone', value: phoneDigits(profile.phone) });
  if (profile.externalIds.shopify) claims.push({ kind: 'shopify', value: profile.externalIds.shopify });
  if (profile.externalIds.woocommerce) claims.push({ kind: 'woocommerce', value: profile.externalIds.woocommerce });
  return claims;
}

export function sameClaim(a: Claim, b: Claim): boolean {
  return a.kind === b.kind && a.value === b.value;
}

/** The member's points that expire, by date, for the member read; points that never expire are not listed. */
export function expiringPoints(lots: readonly PointsLot[]): { points: number; expiresAt: string }[] {
  return lots.flatMap((l) => (l.expiresAt === undefined ? [] : [{ points: l.points, expiresAt: l.expiresAt }]));
}
