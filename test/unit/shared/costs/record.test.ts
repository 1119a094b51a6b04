import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentCapacity, metered } from '../../../../shared/store/capacity-meter';
import { chargeEvents, chargeSqsSend } from '../../../../shared/costs/charges';
import { PRICES } from '../../../../shared/costs/prices';
import { costed, costRoute, separateInvocation, withCost } from '../../../../shared/costs/record';
import { costOf, COST_NAMESPACE } from '../../../../shared/costs/request-cost';

/** What a DynamoDB call made through the metered client adds to the invocation's meter. */
function consume(rru: number, wru: number) {
  const meter = currentCapacity()!;
  meter.readCapacityUnits += rru;
  meter.writeCapacityUnits += wru;
  meter.calls += 1;
}

const context = (memoryMb: string) => ({ memoryLimitInMB: memoryMb, awsRequestId: 'r1' }) as unknown as Context;

type Batch = { Records: { body: string }[] };
const consumer = withCost<Batch, { batchItemFailures: [] }>(
  { route: costRoute('sqs', 'webhook-consumer'), trigger: 'sqs', records: (e) => e.Records.length },
  async (event) => {
    for (const _ of event.Records) consume(1, 3);
    chargeEvents(event.Records.length);
    return { batchItemFailures: [] };
  },
);

let saved: Record<string, string | undefined>;
beforeEach(() => {
  saved = { file: process.env.LOYALTY_COSTS_FILE, fn: process.env.AWS_LAMBDA_FUNCTION_NAME };
  delete process.env.LOYALTY_COSTS_FILE;
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const [k, name] of [
    ['file', 'LOYALTY_COSTS_FILE'],
    ['fn', 'AWS_LAMBDA_FUNCTION_NAME'],
  ] as const) {
    if (saved[k] === undefined) delete process.env[name];
    else process.env[name] = saved[k];
  }
});

describe('withCost on AWS (no costs file)', () => {
  it('records the INIT phase on the first invocation of the execution environment only', async () => {
    vi.resetModules();
    const fresh = await import('../../../../shared/costs/record');
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'loyalty-jobs';
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const run = () => fresh.costed({ route: 'SCHEDULER jobs quiet', trigger: 'scheduler' }, async () => {});
    await run();
    await run();
    const [cold, warm] = lines.map((l) => JSON.parse(l));
    // The process's age at its first invocation: at least as old as this test file's run so far.
    expect(cold.initMs).toBeGreaterThan(0);
    expect(cold.initMs).toBeLessThanOrEqual(process.uptime() * 1000);
    expect(warm.initMs).toBeUndefined();
  });

  it('writes one EMF line per invocation: units, duration, memory from the context, records', async () => {
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'loyalty-webhook-consumer';
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    await consumer({ Records: [{ body: 'a' }, { body: 'b' }, { body: 'c' }] }, context('1024'));
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]!);
    expect(doc._aws.CloudWatchMetrics[0].Namespace).toBe(COST_NAMESPACE);
    expect(doc).toMatchObject({
      Service: 'loyalty-club',
      Route: 'SQS webhook-consumer',
      ReadUnits: 3,
      WriteUnits: 9,
      Records: 3,
      trigger: 'sqs',
      memoryMb: 1024,
      eventsPublished: 3,
    });
    // Lambda's START/END/REPORT lines and this line itself, at least: what the log group ingests for it.
    expect(doc.logBytes).toBeGreaterThan(lines[0]!.length);
    const usage = {
      trigger: 'sqs' as const,
      rru: 3,
      wru: 9,
      durationMs: doc.DurationMs,
      memoryMb: 1024,
      eventsPublished: 3,
      logBytes: doc.logBytes,
      // This module's first invocation on "Lambda": a cold start, its INIT in the line.
      ...(doc.initMs !== undefined && { initMs: doc.initMs }),
    };
    // DurationMs is rounded to 0.1 ms in the line: Lambda's 1 ms billing step may differ by one (0.013 µ$ at 1 GB).
    expect(doc.CostMicroUsd).toBeCloseTo(costOf(usage, PRICES).total * 1e6, 1);
  });

  it('writes nothing outside Lambda without a costs file', async () => {
    const write = vi.spyOn(process.stdout, 'write');
    await consumer({ Records: [{ body: 'a' }] }, context('512'));
    expect(write).not.toHaveBeenCalled();
  });
});

describe('withCost locally (LOYALTY_COSTS_FILE)', () => {
  it('appends one JSON line per invocation to the costs file, and records a failure before throwing it on', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'costs-')), 'costs.jsonl');
    process.env.LOYALTY_COSTS_FILE = file;
    await consumer({ Records: [{ body: 'a' }, { body: 'b' }] }, context('512'));
    const job = withCost({ route: costRoute('scheduler', 'jobs', 'expire-points'), trigger: 'scheduler' }, async () => {
      consume(5, 0);
      throw new Error('member m1 failed');
    });
    await expect(job({}, {} as Context)).rejects.toThrow('member m1 failed');
    const [batch, run, ...rest] = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rest).toEqual([]);
    expect(batch).toMatchObject({
      route: 'SQS webhook-consumer',
      trigger: 'sqs',
      rru: 2,
      wru: 6,
      records: 2,
      memoryMb: 512,
      eventsPublished: 2,
    });
    expect(batch.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(batch.costUsd).toBeCloseTo(costOf(batch, PRICES).total, 12);
    // No memory in the context (the local scheduler): the functions' configured 512 MB.
    expect(run).toMatchObject({ route: 'SCHEDULER jobs expire-points', trigger: 'scheduler', rru: 5, wru: 0, memoryMb: 512 });
    expect(run.records).toBeUndefined();
  });

  it("records a cancelled transaction's write units apart (wruCancelled) and prices them", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'costs-')), 'costs.jsonl');
    process.env.LOYALTY_COSTS_FILE = file;
    const earn = withCost({ route: 'POST /v1/earn', trigger: 'http-api' }, async () => {
      consume(2, 0);
      // What the meter adds for a TransactWriteItems DynamoDB cancelled (capacity-meter.test.ts): 6 WRU by AWS's rule.
      currentCapacity()!.cancelledWriteUnits += 6;
    });
    await earn({}, context('512'));
    const line = JSON.parse(readFileSync(file, 'utf8').trim());
    expect(line).toMatchObject({ route: 'POST /v1/earn', rru: 2, wru: 0, wruCancelled: 6 });
    // DynamoDB: 2 × $0.125 + 6 × $0.625 per million = $4.0e-6.
    expect(costOf(line, PRICES).dynamodb).toBeCloseTo(4.0e-6, 15);
  });

  it('counts the units in an enclosing meter too, except for a separate invocation', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'costs-')), 'costs.jsonl');
    process.env.LOYALTY_COSTS_FILE = file;
    const { capacity } = await metered(async () => {
      consume(1, 1);
      await consumer({ Records: [{ body: 'a' }] }, context('512'));
      // The local notifier runs inline in the request that published the event; on AWS it's its own invocation.
      await separateInvocation(() =>
        costed({ route: costRoute('eventbridge', 'notifier', 'points.expiring'), trigger: 'eventbridge' }, async () => {
          consume(2, 1);
          chargeSqsSend();
        }),
      );
    });
    expect(capacity).toMatchObject({ readCapacityUnits: 2, writeCapacityUnits: 4 });
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.route, l.rru, l.wru])).toEqual([
      ['SQS webhook-consumer', 1, 3],
      ['EVENTBRIDGE notifier points.expiring', 2, 1],
    ]);
    expect(lines[1]).toMatchObject({ sqsSends: 1 });
  });

  it('counts the bytes the invocation writes to stdout and stderr, and whether Lambda traced it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'costs-')), 'costs.jsonl');
    process.env.LOYALTY_COSTS_FILE = file;
    const route = costRoute('scheduler', 'jobs', 'quiet');
    await costed({ route, trigger: 'scheduler' }, async () => {});
    await costed({ route, trigger: 'scheduler' }, async () => {
      // 99 + 1 bytes on stdout and 4 + 2 (é is two bytes in UTF-8) + 1 on stderr: 107 bytes more than the quiet run.
      process.stdout.write(`${'x'.repeat(99)}\n`);
      process.stderr.write('warné\n');
    });
    const saved = process.env._X_AMZN_TRACE_ID;
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    try {
      await costed({ route, trigger: 'scheduler' }, async () => {});
    } finally {
      if (saved === undefined) delete process.env._X_AMZN_TRACE_ID;
      else process.env._X_AMZN_TRACE_ID = saved;
    }
    const [quiet, loud, traced] = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // The cost line is in both and its figures (duration, cost) may differ by a few characters.
    expect(Math.abs(loud.logBytes - quiet.logBytes - 107)).toBeLessThanOrEqual(8);
    // Every invocation: Lambda's START, END and REPORT lines and the cost line, some hundreds of bytes.
    expect(quiet.logBytes).toBeGreaterThan(300);
    expect(quiet.traced).toBeUndefined();
    expect(traced.traced).toBe(true);
    expect(traced.costUsd).toBeCloseTo(costOf(traced, PRICES).total, 12);
    expect(costOf(traced, PRICES).xray).toBeCloseTo(5 / 1e6, 15);
  });

  it('counts a write once, and in the invocation that made it, when the cost modules are loaded twice', async () => {
    // A test that resets its modules (the INIT test above) loads them again in the same process.
    const file = join(mkdtempSync(join(tmpdir(), 'costs-')), 'costs.jsonl');
    process.env.LOYALTY_COSTS_FILE = file;
    const route = costRoute('scheduler', 'jobs', 'twice');
    vi.resetModules();
    const again = await import('../../../../shared/costs/record');
    expect(again.costed).not.toBe(costed);
    const write = (run: typeof costed, text: string) => run({ route, trigger: 'scheduler' }, async () => void process.stderr.write(text));
    await write(costed, '');
    await write(again.costed, '');
    await write(again.costed, 'warné\n');
    await write(costed, 'warné\n');
    const [quiet, , second, first] = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // 7 bytes more than a quiet invocation, through either copy: not 0 (counted into no invocation), not 14 (twice).
    for (const loud of [second, first]) expect(Math.abs(loud.logBytes - quiet.logBytes - 7)).toBeLessThanOrEqual(4);
  });
});
