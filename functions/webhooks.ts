/**
 * POST /v1/webhooks/{shopify,woocommerce,generic}: check the signature, queue
 * the delivery, answer 202. No domain work here: the shops retry (and in the
 * end disable) endpoints that answer slowly; the consumer does the rest.
 */
import type { WebhookSource } from '../shared/config';
import { DomainError } from '../shared/domain/errors';
import { newId } from '../shared/ids';
import { json } from '../shared/http/errors';
import { routeTable, type ClubRequest } from '../shared/http/route-handler';
import { logger } from '../shared/lambda';
import { envelopeBody, keptHeaders, topicOf, type WebhookEnvelope } from '../shared/webhooks/envelope';
import { enqueueDelivery } from '../shared/webhooks/queue';
import { verifySignature, webhookSecrets } from '../shared/webhooks/signature';

const SIGNATURE_HEADER: Record<WebhookSource, string> = {
  shopify: 'x-shopify-hmac-sha256',
  woocommerce: 'x-wc-webhook-signature',
  generic: 'x-loyalty-signature',
};

/** WooCommerce's test delivery when a webhook is saved: a form body, unsigned. */
const WOOCOMMERCE_PING = /^webhook_id=\d+$/;

function receiver(source: WebhookSource) {
  return async (req: ClubRequest) => {
    const secrets = await webhookSecrets(source);
    if (secrets.length === 0) {
      throw new DomainError('UNAUTHORIZED', `no ${source} webhook secret is configured`);
    }
    if (!verifySignature(req.headers[SIGNATURE_HEADER[source]], req.rawBytes, secrets)) {
      throw new DomainError('UNAUTHORIZED', `the ${SIGNATURE_HEADER[source]} signature is missing or does not match the body`);
    }
    // The signature was checked over the bytes; a body that isn't UTF-8 is still queued
    // (and parked by the consumer with its reason) rather than refused as unsigned.
    const envelope: WebhookEnvelope = {
      v: 1,
      id: newId(),
      source,
      topic: topicOf(source, req.headers),
      receivedAt: new Date().toISOString(),
      headers: keptHeaders(req.headers),
      ...envelopeBody(req.rawBytes),
    };
    try {
      await enqueueDelivery(envelope);
    } catch (err) {
      logger.error('could not queue a webhook delivery', { source, error: err as Error });
      throw new DomainError('QUEUE_UNAVAILABLE', 'the delivery could not be queued; send it again');
    }
    return json(202, { accepted: true, deliveryId: envelope.id });
  };
}

export const handler = routeTable({
  'POST /v1/webhooks/shopify': receiver('shopify'),
  'POST /v1/webhooks/woocommerce': async (req) => {
    if (WOOCOMMERCE_PING.test(req.rawBody.trim())) return json(200, { ok: true, ping: true });
    return receiver('woocommerce')(req);
  },
  'POST /v1/webhooks/generic': receiver('generic'),
});
