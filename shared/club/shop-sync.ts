/**
 * Rewards become shop discounts: after a redemption commits, its reward.issued
 * event reaches the shop-sync consumer (functions/shop-sync.ts) through a queue;
 * this pushes the code to the shop that knows the member and records how it went.
 * reward.cancelled disables it. The redemption never waits for any of this.
 */
import { DomainError } from '../domain/errors';
import { codeStatus } from '../domain/rewards';
import { decideShopCustomer, shopDiscountFor, type ShopPlatform, type ShopSyncStatus } from '../domain/shop-discount';
import type { DomainEvent } from '../events/events';
import type { ConnectedShops } from '../shops/connected-shops';
import { ShopError } from '../shops/shop-client';
import type { ClubStore } from '../store/club-store';
import type { RewardStore } from '../store/reward-store';
import { parseShopSyncId, shopSyncId, type ShopSyncRecord, type ShopSyncStore } from '../store/shop-sync-store';

export interface ShopSyncDeps {
  readonly shops: ConnectedShops;
  readonly shopSync: ShopSyncStore;
  readonly rewards: RewardStore;
  readonly store: Pick<ClubStore, 'getMember'>;
  readonly now: () => Date;
}

export const shopConnected = (shops: ConnectedShops) => shops.connected.shopify || shops.connected.woocommerce;

export function shopSyncView(r: ShopSyncRecord) {
  return {
    id: r.id,
    code: r.code,
    platform: r.platform,
    status: r.status,
    memberId: r.memberId,
    attempts: r.attempts,
    lastError: r.lastError ?? null,
    discountId: r.discountId ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** What happened to one push: the record as it now stands, or why there is none. */
export type PushOutcome =
  | { readonly status: 'created' | 'disabled'; readonly record: ShopSyncRecord }
  | { readonly status: 'failed'; readonly record: ShopSyncRecord; readonly retryable: boolean }
  | { readonly status: 'skipped'; readonly reason: string };

const newRecord = (code: { code: string; memberId: string }, platform: ShopPlatform, now: string): ShopSyncRecord => ({
  id: shopSyncId(platform, code.code),
  code: code.code,
  platform,
  memberId: code.memberId,
  status: 'pending',
  attempts: 0,
  createdAt: now,
  updatedAt: now,
});

/**
 * Pushes the code's discount to its member's shop, once; a record already created (or disabled) is answered as it is.
 * Every write is conditional on no cancel having marked the record (docs/shops.md "Order of events"): a push
 * that loses to a cancel deactivates whatever it may have made instead of recording it live.
 */
export async function pushRewardCode(deps: ShopSyncDeps, codeText: string): Promise<PushOutcome> {
  const code = await deps.rewards.getCode(codeText);
  if (!code) return { status: 'skipped', reason: `no code ${codeText}` };
  // A code used, refunded or past its end by the time its event arrives (queues may deliver late) gets no discount.
  if (code.refundedAt || codeStatus(code, deps.now()) !== 'issued')
    return { status: 'skipped', reason: `code ${code.code} is no longer usable` };
  const discount = shopDiscountFor(code);
  if (!discount) return { status: 'skipped', reason: `a ${code.reward.kind} reward is not a shop discount` };
  const member = await deps.store.getMember(code.memberId);
  const customer = member && decideShopCustomer(member, deps.shops.connected);
  if (!customer) return { status: 'skipped', reason: 'the member is not known to a connected shop' };
  const existing = await deps.shopSync.get(code.code, customer.platform);
  // The cancel got here first (its event overtook this one, or it was cancelled after the read above).
  if (existing?.disableWantedAt)
    return existing.status === 'disabled' ? { status: 'disabled', record: existing } : disableInShop(deps, existing);
  if (existing && (existing.status === 'created' || existing.status === 'disabled')) return { status: existing.status, record: existing };
  const base = existing ?? newRecord(code, customer.platform, deps.now().toISOString());
  if (!existing && !(await deps.shopSync.saveUnlessDisableWanted(base))) return disableAfterLostRace(deps, base);
  let discountId: string;
  try {
    const client = await deps.shops.client(customer.platform);
    discountId = (await client.ensureDiscount(discount, customer)).discountId;
  } catch (err) {
    const record: ShopSyncRecord = {
      ...base,
      status: 'failed',
      attempts: base.attempts + 1,
      lastError: (err as Error).message.slice(0, 1000),
      updatedAt: deps.now().toISOString(),
    };
    // Cancelled meanwhile: the create may still have landed before its answer was lost, so the disable looks it up.
    if (!(await deps.shopSync.saveUnlessDisableWanted(record))) return disableAfterLostRace(deps, base);
    return { status: 'failed', record, retryable: err instanceof ShopError ? err.retryable : true };
  }
  const record: ShopSyncRecord = {
    ...base,
    status: 'created',
    attempts: base.attempts + 1,
    lastError: undefined,
    discountId,
    updatedAt: deps.now().toISOString(),
  };
  // Cancelled while the shop was creating it: the cancel may have found nothing to disable yet, so this push does.
  if (!(await deps.shopSync.saveUnlessDisableWanted(record))) return disableAfterLostRace(deps, base, discountId);
  return { status: 'created', record };
}

/** A push refused by the cancel's mark: the record as the cancel left it, disabled in the shop whatever the cancel found there. */
async function disableAfterLostRace(deps: ShopSyncDeps, base: ShopSyncRecord, discountId?: string): Promise<PushOutcome> {
  const marked = (await deps.shopSync.get(base.code, base.platform)) ?? base;
  return disableInShop(deps, { ...marked, discountId: discountId ?? marked.discountId, attempts: marked.attempts + 1 });
}

async function disableInShop(deps: ShopSyncDeps, record: ShopSyncRecord): Promise<PushOutcome> {
  try {
    const client = await deps.shops.client(record.platform);
    // Looked up by code even when the push is marked failed: its create may have landed before the answer was lost.
    await client.disableDiscount(record.code);
    const next: ShopSyncRecord = { ...record, status: 'disabled', lastError: undefined, updatedAt: deps.now().toISOString() };
    await deps.shopSync.save(next);
    return { status: 'disabled', record: next };
  } catch (err) {
    const next: ShopSyncRecord = {
      ...record,
      status: 'failed',
      attempts: record.attempts + 1,
      lastError: `disabling: ${(err as Error).message}`.slice(0, 1000),
      updatedAt: deps.now().toISOString(),
    };
    await deps.shopSync.save(next);
    return { status: 'failed', record: next, retryable: err instanceof ShopError ? err.retryable : true };
  }
}

/** Where a code's discount would go, for a cancel that reaches a code no push has recorded yet. */
async function unpushedRecord(deps: ShopSyncDeps, codeText: string): Promise<ShopSyncRecord | undefined> {
  const code = await deps.rewards.getCode(codeText);
  if (!code || !shopDiscountFor(code)) return undefined;
  const member = await deps.store.getMember(code.memberId);
  const customer = member && decideShopCustomer(member, deps.shops.connected);
  return customer ? newRecord(code, customer.platform, deps.now().toISOString()) : undefined;
}

/**
 * Disables the code's shop discount (staff cancelled it, or it expired and gave its points back).
 * The record is marked first, even before any push wrote it: a push running now, or delivered later,
 * then never records the discount live and deactivates what it made.
 */
export async function disableRewardCode(deps: ShopSyncDeps, codeText: string): Promise<PushOutcome> {
  const found = (await deps.shopSync.forCode(codeText)) ?? (await unpushedRecord(deps, codeText));
  if (!found) return { status: 'skipped', reason: `code ${codeText} has no shop discount to disable` };
  const record = await deps.shopSync.markDisableWanted(found, deps.now().toISOString());
  if (record.status === 'disabled') return { status: 'disabled', record };
  return disableInShop(deps, record);
}

/** The events the consumer acts on; others are not its business. */
export async function syncShopEvent(deps: ShopSyncDeps, event: Pick<DomainEvent, 'type' | 'data'>): Promise<PushOutcome> {
  const code = String(event.data.code ?? '');
  if (event.type === 'reward.issued') return pushRewardCode(deps, code);
  if (event.type === 'reward.cancelled') return disableRewardCode(deps, code);
  return { status: 'skipped', reason: `${event.type} is not a shop event` };
}

/** Staff's retry of a failed push: a push of a code never cancelled, a disable of one that was. */
export async function retryShopSync(deps: ShopSyncDeps, id: string) {
  const ref = parseShopSyncId(id);
  const record = ref && (await deps.shopSync.get(ref.code, ref.platform));
  if (!ref || !record) throw new DomainError('SHOP_SYNC_NOT_FOUND', `no shop push ${id}`, [{ path: 'id', message: 'unknown' }]);
  if (record.status !== 'failed') return { ...shopSyncView(record), duplicate: true };
  const outcome =
    record.disableWantedAt || record.lastError?.startsWith('disabling:')
      ? await disableRewardCode(deps, record.code)
      : await pushRewardCode(deps, record.code);
  if (outcome.status === 'skipped') throw new DomainError('SHOP_SYNC_NOT_FOUND', outcome.reason);
  return { ...shopSyncView(outcome.record), duplicate: false };
}

/** The code view's `shop`: null when no shop is connected or none holds (or will hold) this code. */
export async function shopViewOfCode(deps: ShopSyncDeps, code: { code: string; memberId: string; reward: { kind: string } }) {
  if (!shopConnected(deps.shops)) return null;
  const record = await deps.shopSync.forCode(code.code);
  if (record)
    return {
      platform: record.platform,
      status: record.status as ShopSyncStatus,
      updatedAt: record.updatedAt,
      lastError: record.lastError ?? null,
    };
  // Not pushed yet (the consumer runs after the redemption's answer): say where it is going.
  const full = await deps.rewards.getCode(code.code);
  const member = full && shopDiscountFor(full) ? await deps.store.getMember(code.memberId) : undefined;
  const customer = member && decideShopCustomer(member, deps.shops.connected);
  return customer
    ? { platform: customer.platform as ShopPlatform, status: 'pending' as ShopSyncStatus, updatedAt: null, lastError: null }
    : null;
}
