/** What the webhook receivers answer: the delivery is queued, or WooCommerce's save-time ping is acknowledged. */
import * as z from 'zod';

export const WebhookAcceptedView = z
  .object({
    accepted: z.literal(true),
    deliveryId: z.string().meta({ description: "The club's id of this delivery (in the consumer's logs and the failed list)." }),
  })
  .meta({ id: 'WebhookAccepted' });

export const WebhookPingView = z.object({ ok: z.literal(true), ping: z.literal(true) }).meta({ id: 'WebhookPing' });

/** A shop's own payload: its shape is the shop's (docs/webhooks.md); the signature is over these exact bytes. */
export const ShopPayload = z.looseObject({}).meta({ description: "The shop's own JSON; the signature header is over the raw bytes." });
