/**
 * Carries out a delivery's commands through the core use cases. Every command is
 * idempotent on its own key (order id, refund id, the customer's claims), so a
 * delivery applied twice, or half applied and retried, changes nothing more.
 */
import { enrolMember, updateMember } from '../club/members';
import { earn, refund } from '../club/points';
import { useCodeOnOrder } from '../club/rewards';
import type { ClubDeps } from '../club/deps';
import { concurrentUpdate, DomainError } from '../domain/errors';
import type { Claim } from '../domain/member';
import { normalizePhone, phoneRegionOf } from '../domain/phone';
import { compareDecimals, parseDecimal } from '../domain/money';
import { WebhookRejected, type Customer, type WebhookCommand } from './commands';

export interface AppliedEffect {
  readonly kind: WebhookCommand['kind'];
  readonly memberId?: string;
  readonly orderId?: string;
  readonly refundId?: string;
  /** Points moved: positive earned, negative taken back. */
  readonly points?: number;
  readonly duplicate?: boolean;
  readonly note?: string;
}

function externalClaim(customer: Customer): Claim | undefined {
  if (!customer.externalId) return undefined;
  if (customer.source === 'shopify' || customer.source === 'woocommerce') return { kind: customer.source, value: customer.externalId };
  return undefined;
}

/**
 * The member a shop customer is: by the shop's customer id, then by email, else
 * enrolled now with the shop id claimed in the same transaction. Two first
 * orders of one new customer race to enrol; the loser sees ALREADY_EXISTS and
 * finds the winner.
 */
export async function resolveMember(deps: ClubDeps, customer: Customer): Promise<{ memberId: string; enrolled: boolean }> {
  if (customer.memberId) {
    const member = await deps.store.getMember(customer.memberId);
    if (!member) throw new DomainError('MEMBER_NOT_FOUND', `member ${customer.memberId} does not exist`);
    return { memberId: member.memberId, enrolled: false };
  }
  const claim = externalClaim(customer);
  if (!claim && !customer.email) {
    throw new WebhookRejected('NO_CUSTOMER', 'the delivery names no customer id and no email: no member to credit');
  }
  // A phone the shop has that is no phone in the program's region is left out: the order still earns.
  const typed = customer.phone ? normalizePhone(customer.phone, phoneRegionOf(await deps.program())) : undefined;
  let phone = typed?.ok ? typed.e164 : undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (claim) {
      const id = await deps.store.findMemberIdByClaim(claim);
      if (id) return { memberId: id, enrolled: false };
    }
    if (customer.email) {
      const id = await deps.store.findMemberIdByClaim({ kind: 'email', value: customer.email });
      if (id) {
        if (claim) await linkExternalId(deps, id, claim);
        return { memberId: id, enrolled: false };
      }
    }
    try {
      const member = await enrolMember(deps, {
        email: customer.email,
        phone,
        name: customer.name,
        channel: customer.source,
        externalIds: claim ? { [claim.kind]: claim.value } : {},
      });
      return { memberId: member.memberId, enrolled: true };
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'ALREADY_EXISTS')) throw err;
      // Another member has this phone: the customer is enrolled without it, never merged with them.
      if (err.details[0]?.path === 'phone') phone = undefined;
      // Else someone enrolled this customer meanwhile: look again.
    }
  }
  throw concurrentUpdate('the customer is being enrolled by another delivery; try again');
}

/** A member found by email gets the shop's customer id too, unless they already hold one. */
async function linkExternalId(deps: ClubDeps, memberId: string, claim: Claim): Promise<void> {
  const member = await deps.store.getMember(memberId);
  const kind = claim.kind as 'shopify' | 'woocommerce';
  if (!member || member.externalIds[kind]) return;
  try {
    await updateMember(deps, memberId, { externalIds: { [kind]: claim.value } });
  } catch (err) {
    // Held by another member: the email decided; leave the claim where it is.
    if (!(err instanceof DomainError && err.code === 'ALREADY_EXISTS')) throw err;
  }
}

export async function applyCommand(deps: ClubDeps, command: WebhookCommand): Promise<AppliedEffect> {
  switch (command.kind) {
    case 'ignore':
      return { kind: 'ignore', note: command.reason };
    case 'use-codes': {
      const notes: string[] = [];
      let newlyUsed = 0;
      for (const code of command.codes) {
        const use = await useCodeOnOrder(deps, code, command.orderId);
        if (use.outcome === 'used') newlyUsed++;
        notes.push(use.outcome === 'not-used' ? `${code} not used (${use.why})` : `${code} ${use.outcome}`);
      }
      return { kind: 'use-codes', orderId: command.orderId, duplicate: newlyUsed === 0, note: notes.join('; ') };
    }
    case 'enrol': {
      const { memberId, enrolled } = await resolveMember(deps, command.customer);
      return { kind: 'enrol', memberId, duplicate: !enrolled };
    }
    case 'earn': {
      const { memberId } = await resolveMember(deps, command.customer);
      const result = await earn(deps, memberId, {
        orderId: command.orderId,
        amount: command.amount,
        currency: command.currency,
        occurredAt: command.occurredAt,
        lineItems: command.lineItems,
      });
      return {
        kind: 'earn',
        memberId: result.entry.memberId,
        orderId: command.orderId,
        points: result.entry.points,
        duplicate: result.duplicate,
      };
    }
    case 'refund': {
      // The member is whoever earned on the order; a refund names no customer.
      const { earn: earned, refunds } = await deps.store.getOrderEntries(command.orderId);
      if (!earned) {
        if (command.onlyIfEarned)
          return { kind: 'ignore', orderId: command.orderId, note: `order ${command.orderId} earned nothing to take back` };
        throw new DomainError('ORDER_NOT_FOUND', `order ${command.orderId} has earned no points yet`);
      }
      // The same whole take-back stored under its former key: applied already. Only
      // one for the whole paid amount counts (a refund the shop named "cancel" may be partial).
      const paid = parseDecimal(earned.amount ?? '');
      const former = refunds.find((r) => {
        const amount = parseDecimal(r.amount ?? '');
        return command.formerRefundIds?.includes(r.refundId ?? '') && paid && amount && compareDecimals(amount, paid) === 0;
      });
      if (command.amount === 'all' && former) {
        return {
          kind: 'refund',
          memberId: earned.memberId,
          orderId: command.orderId,
          refundId: former.refundId,
          points: former.points,
          duplicate: true,
        };
      }
      const result = await refund(deps, earned.memberId, {
        orderId: command.orderId,
        refundId: command.refundId,
        amount: command.amount,
        currency: command.currency,
        reason: command.reason,
      });
      return {
        kind: 'refund',
        memberId: earned.memberId,
        orderId: command.orderId,
        refundId: command.refundId,
        points: result.entry.points,
        duplicate: result.duplicate,
      };
    }
  }
}
