/**
 * A delivery answered 202 survives a restart of the local club: fauxqs keeps
 * messages in memory, so the accepted-not-applied ones are journaled in the
 * data dir and queued again at start.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startClub, type RunningClub } from '../../local/club';
import { QUICK_START_JAVA_OPTIONS } from '../../local/dynamodb-local';
import { webhookQueueService } from '../../local/webhook-queue';
import { fixtureText, hmacBase64, SHOPIFY_SECRET, useWebhookSecrets, waitFor } from '../support/webhooks';

let club: RunningClub | undefined;
let dataDir = '';

afterAll(async () => {
  await club?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function start(consume: boolean): Promise<RunningClub> {
  return startClub({
    dataDir,
    quiet: true,
    dynamodbJavaOptions: QUICK_START_JAVA_OPTIONS,
    services: [webhookQueueService({ consume, visibilityTimeoutSeconds: 1, waitTimeSeconds: 1, batchWindowMs: 20 })],
  });
}

it('applies after a restart a delivery accepted before it', async () => {
  useWebhookSecrets();
  dataDir = await mkdtemp(join(tmpdir(), 'loyalty-webhooks-'));
  club = await start(false);
  const body = fixtureText('shopify-orders-paid.json');
  const res = await fetch(`${club.url}/v1/webhooks/shopify`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/paid',
      'x-shopify-hmac-sha256': hmacBase64(SHOPIFY_SECRET, body),
      'x-shopify-webhook-id': 'restart-1',
    },
    body,
  });
  expect(res.status).toBe(202);
  await club.stop();

  club = await start(true);
  const token = club.token;
  const url = club.url;
  const member = await waitFor(async () => {
    const r = await fetch(`${url}/v1/members?shopifyCustomerId=115310627314723954`, { headers: { authorization: `Bearer ${token}` } });
    const m = ((await r.json()) as { items: { balance: number }[] }).items[0];
    return m?.balance === 398 ? m : undefined;
  }, 'the delivery accepted before the restart to be applied');
  expect(member.balance).toBe(398);
  await club.stop();
  club = undefined;

  // Applied means done: the journal holds nothing to queue again.
  const lines = (await readFile(join(dataDir, 'webhook-journal.ndjson'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const pending = new Set(lines.filter((l) => l.op === 'accepted').map((l) => l.id));
  for (const l of lines) if (l.op === 'done') pending.delete(l.id);
  expect(lines.length).toBeGreaterThan(0);
  expect(pending.size).toBe(0);
});
