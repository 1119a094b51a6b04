/**
 * One delivery from the queue, start to end: decode, skip a Shopify event
 * already applied, apply its commands, and decide what a failure means: try
 * again later (the queue redelivers), or park it for staff with its reason.
 */
import type { ClubDeps } from '../club/deps';
import { DomainError, type ParkReason } from '../domain/errors';
import type { DeliveryReason, DeliveryStore } from '../store/delivery-store';
import { applyCommand, type AppliedEffect } from './apply';
import { WebhookRejected, type WebhookCommand } from './commands';
import { contentId, WebhookEnvelope } from './envelope';
import { genericCommands } from './generic';
import { parsePayload } from './payload';
import { shopifyCommands } from './shopify';
import { woocommerceCommands } from './woocommerce';

export interface WebhookDeps {
  readonly club: ClubDeps;
  readonly deliveries: DeliveryStore;
}

export interface DeliveryResult {
  readonly status: 'applied' | 'duplicate';
  readonly effects: AppliedEffect[];
}

export function commandsOf(envelope: WebhookEnvelope): WebhookCommand[] {
  if (envelope.bodyBase64 !== undefined) {
    throw new WebhookRejected('MALFORMED_PAYLOAD', 'the body is not valid UTF-8, so it is not JSON; replay it with the body corrected');
  }
  const payload = parsePayload(envelope.body);
  switch (envelope.source) {
    case 'shopify':
      return shopifyCommands(envelope.topic, payload);
    case 'woocommerce':
      return woocommerceCommands(envelope.topic, payload);
    case 'generic':
      return genericCommands(payload, envelope.topic);
  }
}

/** The shop's own id of the event, where it sends one that survives redelivery. */
function eventIdOf(envelope: WebhookEnvelope): string | undefined {
  if (envelope.source === 'shopify') return envelope.headers['x-shopify-event-id'];
  if (envelope.source === 'generic') return envelope.headers['x-loyalty-event-id'];
  return undefined;
}

/** Applies a delivery; throws when it can't be (failureOf says whether to retry). */
export async function applyDelivery(deps: WebhookDeps, envelope: WebhookEnvelope): Promise<DeliveryResult> {
  const eventId = eventIdOf(envelope);
  if (eventId && (await deps.deliveries.eventApplied(envelope.source, eventId))) return { status: 'duplicate', effects: [] };
  const effects: AppliedEffect[] = [];
  for (const command of commandsOf(envelope)) effects.push(await applyCommand(deps.club, command));
  if (eventId) await deps.deliveries.markEventApplied(envelope.source, eventId, deps.club.now().toISOString());
  const duplicate = effects.length > 0 && effects.every((e) => e.duplicate || e.kind === 'ignore');
  return { status: duplicate ? 'duplicate' : 'applied', effects };
}

/** Worth another try: the order may still arrive, the member was busy, the store hiccupped. */
const RETRYABLE = new Set(['ORDER_NOT_FOUND', 'CONCURRENT_UPDATE']);

export function failureOf(err: unknown): { reason: DeliveryReason; retry: boolean } {
  if (err instanceof WebhookRejected) return { reason: { code: err.code, message: err.message }, retry: false };
  if (err instanceof DomainError) return { reason: { code: err.code, message: err.message }, retry: RETRYABLE.has(err.code) };
  const e = err as { name?: string; message?: string };
  return {
    reason: { code: 'INTERNAL_ERROR' satisfies ParkReason, message: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`.slice(0, 500) },
    retry: true,
  };
}

export type ConsumeOutcome =
  | { readonly status: 'applied' | 'duplicate'; readonly effects: AppliedEffect[] }
  | { readonly status: 'parked'; readonly reason: DeliveryReason };

/**
 * What the consumer does with one queue message. Throws to have the queue
 * redeliver it; parks it when retrying can't help or the receives have run out
 * (parking before the last receive keeps it out of the DLQ and in staff's list).
 */
export async function consumeDelivery(
  deps: WebhookDeps,
  messageBody: string,
  attempt: { receiveCount: number; maxReceives: number },
): Promise<ConsumeOutcome> {
  let envelope: WebhookEnvelope;
  try {
    envelope = WebhookEnvelope.parse(JSON.parse(messageBody));
  } catch {
    envelope = {
      v: 1,
      id: 'unknown',
      source: 'generic',
      topic: 'unreadable-envelope',
      receivedAt: deps.club.now().toISOString(),
      headers: {},
      body: messageBody,
    };
    return park(
      deps,
      envelope,
      { code: 'MALFORMED_ENVELOPE' satisfies ParkReason, message: 'the queue message is not a webhook envelope' },
      attempt.receiveCount,
    );
  }
  try {
    return await applyDelivery(deps, envelope);
  } catch (err) {
    const { reason, retry } = failureOf(err);
    if (retry && attempt.receiveCount < attempt.maxReceives) throw err;
    return park(deps, envelope, reason, attempt.receiveCount);
  }
}

async function park(deps: WebhookDeps, envelope: WebhookEnvelope, reason: DeliveryReason, attempts: number): Promise<ConsumeOutcome> {
  await deps.deliveries.park({
    id: contentId(envelope),
    source: envelope.source,
    topic: envelope.topic,
    deliveryId: envelope.id,
    receivedAt: envelope.receivedAt,
    failedAt: deps.club.now().toISOString(),
    reason,
    attempts,
    headers: envelope.headers,
    body: envelope.body,
    ...(envelope.bodyBase64 !== undefined && { bodyBase64: envelope.bodyBase64 }),
  });
  return { status: 'parked', reason };
}
