/**
 * Webhook signatures: HMAC-SHA256 of the raw body bytes, compared in constant
 * time against every configured secret (current and the one being rotated out).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readWebhookConfig, type WebhookSource } from '../config';

function decodeSignature(given: string): Buffer | undefined {
  const text = given.trim().replace(/^sha256=/i, '');
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(text) || /^[A-Za-z0-9_-]{43}$/.test(text)) return Buffer.from(text, 'base64');
  return undefined;
}

/**
 * True when `given` (base64, or hex, optionally prefixed `sha256=`) is the
 * HMAC of `body` under any of `secrets`. Every secret is tried, so the time
 * taken doesn't say which one matched.
 */
export function verifySignature(given: string | undefined, body: Buffer, secrets: readonly string[]): boolean {
  if (!given || secrets.length === 0) return false;
  const decoded = decodeSignature(given);
  if (decoded?.length !== 32) return false;
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    if (timingSafeEqual(expected, decoded)) ok = true;
  }
  return ok;
}

const SECRET_KEYS: Record<WebhookSource, [string, string]> = {
  shopify: ['shopify', 'shopifyPrevious'],
  woocommerce: ['woocommerce', 'woocommercePrevious'],
  generic: ['generic', 'genericPrevious'],
};

/** Secrets Manager values are re-read after this long, so a rotation takes effect without a deploy. */
const SECRET_TTL_MS = 5 * 60 * 1000;
let cached: { arn: string; at: number; value: Promise<Record<string, string>> } | undefined;

async function fromSecretsManager(arn: string): Promise<Record<string, string>> {
  if (!cached || cached.arn !== arn || Date.now() - cached.at > SECRET_TTL_MS) {
    const value = (async () => {
      const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
      const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
      const parsed: unknown = JSON.parse(out.SecretString ?? '{}');
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    })();
    cached = { arn, at: Date.now(), value };
    value.catch(() => {
      cached = undefined;
    });
  }
  return cached.value;
}

/** The secrets a source's signatures may be made with; none means the route answers 401. */
export async function webhookSecrets(source: WebhookSource): Promise<readonly string[]> {
  const config = readWebhookConfig();
  if (config.secrets[source].length > 0) return config.secrets[source];
  if (!config.secretsArn) return [];
  const values = await fromSecretsManager(config.secretsArn);
  return SECRET_KEYS[source].map((k) => values[k]).filter((s): s is string => typeof s === 'string' && s.length > 0);
}
