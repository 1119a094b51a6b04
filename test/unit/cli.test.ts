import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClubApi, ClubApiError, errorOf, fail } from '../../cli/api';
import { resolveTarget } from '../../cli/config';
import { importMembers } from '../../cli/import-members';
import { main } from '../../cli/main';
import { ledgerRow, mapLimit, memberRow, MEMBER_EXPORT_COLUMNS } from '../../cli/export';
import { duration, Progress } from '../../cli/progress';
import { runCli as runCliProcess } from '../support/cli';

describe('which club the CLI talks to', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'loyalty-cli-unit-'));
  writeFileSync(join(dataDir, 'api-token'), 'from-the-data-dir\n');

  it('takes flags first, then LOYALTY_URL/LOYALTY_TOKEN, then the local club and its saved token', () => {
    expect(resolveTarget({ url: 'https://club.example', token: 't1' }, { LOYALTY_TOKEN: 't2' })).toEqual({
      url: 'https://club.example',
      token: 't1',
      tokenSource: '--token',
    });
    expect(resolveTarget({}, { LOYALTY_URL: 'https://x.example', LOYALTY_TOKEN: 't2' })).toMatchObject({
      url: 'https://x.example',
      token: 't2',
    });
    expect(resolveTarget({}, { PORT: '3100', LOYALTY_DATA_DIR: dataDir })).toMatchObject({
      url: 'http://127.0.0.1:3100',
      token: 'from-the-data-dir',
      tokenSource: join(dataDir, 'api-token'),
    });
    expect(resolveTarget({ dataDir }, {})).toMatchObject({ url: 'http://127.0.0.1:3000', token: 'from-the-data-dir' });
  });

  it('says where to find a token when there is none', () => {
    expect(() => resolveTarget({ dataDir: join(dataDir, 'nope') }, {})).toThrow(/--token or set LOYALTY_TOKEN.*npm start/);
  });
});

describe('the CLI HTTP client', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  async function serve(answers: { status: number; body?: unknown; headers?: Record<string, string> }[]) {
    const seen: { auth?: string; body: string }[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body });
        const a = answers[Math.min(seen.length - 1, answers.length - 1)]!;
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
        res.end(a.body === undefined ? '' : JSON.stringify(a.body));
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const { port } = server!.address() as { port: number };
    return { url: `http://127.0.0.1:${port}`, seen };
  }

  const throttled = { status: 503, body: { error: { code: 'THROTTLED', message: 'busy', details: [] } }, headers: { 'retry-after': '1' } };

  it('retries 503 THROTTLED after Retry-After, sending the same body with the token', async () => {
    const { url, seen } = await serve([throttled, throttled, { status: 201, body: { memberId: 'm1' } }]);
    const waits: number[] = [];
    const api = new ClubApi({ url, token: 'tok', maxDelayMs: 30, onRetry: (_why, ms) => waits.push(ms) });
    const res = await api.post('/v1/members', { email: 'a@example.com' });
    expect(res).toEqual({ status: 201, body: { memberId: 'm1' } });
    expect(seen).toHaveLength(3);
    expect(seen.every((s) => s.auth === 'Bearer tok' && s.body === '{"email":"a@example.com"}')).toBe(true);
    // Retry-After: 1 s, capped by maxDelayMs.
    expect(waits).toEqual([30, 30]);
    expect(api.retries).toBe(2);
  });

  it('gives the last answer after its attempts, and does not retry client errors', async () => {
    const { url, seen } = await serve([throttled]);
    const api = new ClubApi({ url, token: 'tok', attempts: 3, maxDelayMs: 5 });
    const res = await api.get('/v1/members/x');
    expect(res.status).toBe(503);
    expect(errorOf(res).code).toBe('THROTTLED');
    expect(seen).toHaveLength(3);

    const bad = await serve([
      { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'bad', details: [{ path: 'email', message: 'x' }] } } },
    ]);
    const api2 = new ClubApi({ url: bad.url, token: 'tok', maxDelayMs: 5 });
    expect(errorOf(await api2.post('/v1/members', {}))).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'bad',
      details: [{ path: 'email', message: 'x' }],
    });
    expect(bad.seen).toHaveLength(1);
  });

  it("jobs run follows a continuation as of the run's own asOf (a continuation belongs to it)", async () => {
    const asOf = '2026-11-23T10:00:00.000Z';
    const { url, seen } = await serve([
      { status: 200, body: { job: 'reindex-names', asOf, processed: 100, complete: false, continuation: 'c1' } },
      { status: 200, body: { job: 'reindex-names', asOf, processed: 5, complete: true } },
    ]);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    try {
      expect(await main(['jobs', 'run', 'reindex-names', '--url', url, '--token', 'tok'])).toBe(0);
    } finally {
      write.mockRestore();
      // Only the handlers main added.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        for (const l of process.listeners(signal)) if (!before[signal].includes(l)) process.off(signal, l);
      }
    }
    expect(seen.map((r) => JSON.parse(r.body))).toEqual([{}, { asOf, continuation: 'c1' }]);
  });

  it('ends a run of several requests with its totals: the counts summed, the lists joined (the last line is the whole run)', async () => {
    const asOf = '2026-11-23T10:00:00.000Z';
    const { url } = await serve([
      {
        status: 200,
        body: {
          job: 'normalize-phones',
          asOf,
          processed: 1,
          examined: 100,
          failed: 0,
          conflicted: 1,
          conflicts: [{ phone: '+1', memberIds: ['a', 'b'] }],
          complete: false,
          continuation: 'c1',
        },
      },
      {
        status: 200,
        body: { job: 'normalize-phones', asOf, processed: 2, examined: 7, failed: 1, conflicted: 0, conflicts: [], complete: true },
      },
    ]);
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    try {
      expect(await main(['jobs', 'run', 'normalize-phones', '--url', url, '--token', 'tok'])).toBe(0);
    } finally {
      write.mockRestore();
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        for (const l of process.listeners(signal)) if (!before[signal].includes(l)) process.off(signal, l);
      }
    }
    const out = lines.join('').trim().split('\n');
    expect(out).toHaveLength(3);
    expect(JSON.parse(out.at(-1)!)).toEqual({
      job: 'normalize-phones',
      asOf,
      processed: 3,
      examined: 107,
      failed: 1,
      conflicted: 1,
      conflicts: [{ phone: '+1', memberIds: ['a', 'b'] }],
      complete: true,
      requests: 2,
    });
  });

  it('retries a club that is not answering, then says which call failed', async () => {
    const api = new ClubApi({ url: 'http://127.0.0.1:9', token: 'tok', attempts: 2, maxDelayMs: 5 });
    await expect(api.get('/health')).rejects.toThrow(ClubApiError);
    await expect(api.get('/health')).rejects.toThrow(/GET http:\/\/127\.0\.0\.1:9\/health failed/);
  });

  it('says an older club lacks the route when the club answers 404 NOT_FOUND (its code for an unknown route)', () => {
    const noRoute = { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no route POST /v1/admin/members', details: [] } } };
    expect(() => fail(noRoute, 'export')).toThrow(/does not have that route yet/);
    const noMember = { status: 404, body: { error: { code: 'MEMBER_NOT_FOUND', message: 'member m does not exist', details: [] } } };
    expect(() => fail(noMember, 'export')).not.toThrow(/does not have that route yet/);
  });
});

describe('import members against a fake club', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  /** A club answering by route; every request is recorded as "METHOD path" and its JSON body. */
  async function club(answer: (route: string, body: any, n: number) => { status: number; body: unknown }) {
    const seen: { route: string; body: any }[] = [];
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        const route = `${req.method} ${req.url}`;
        const body = text ? JSON.parse(text) : undefined;
        seen.push({ route, body });
        const a = answer(route, body, seen.filter((s) => s.route === route).length);
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(a.body));
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const { port } = server!.address() as { port: number };
    return { api: new ClubApi({ url: `http://127.0.0.1:${port}`, token: 'tok', maxDelayMs: 5 }), seen };
  }

  const csvFile = (rows: number) => {
    const file = join(mkdtempSync(join(tmpdir(), 'loyalty-import-unit-')), 'c.csv');
    const lines = ['email,points'];
    for (let i = 0; i < rows; i++) lines.push(`u${i}@example.com,${i === 0 ? 7 : ''}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };

  it('sends rows in batches keyed by file and row, and sends again the rows the club had no time for', async () => {
    const file = csvFile(5);
    const { api, seen } = await club((_route, body, n) => ({
      status: 200,
      body: {
        // The first answer to each batch leaves its last row for later.
        results: body.rows.map((r: { key: string }, i: number) =>
          n === 1 && i === body.rows.length - 1
            ? { key: r.key, status: 'not-attempted' }
            : { key: r.key, status: 'created', memberId: `m-${r.key.split(':')[1]}`, ...(r.key.endsWith(':2') && { openingBalance: 7 }) },
        ),
        notAttempted: n === 1 ? 1 : 0,
      },
    }));
    const summary = await importMembers({ file, api, batchSize: 3, concurrency: 1, progress: { write: () => true }, log: () => {} });
    expect(summary).toMatchObject({ created: 5, failed: 0, openingBalances: 1, interrupted: false });
    const sent = seen.map((s) => [s.route, s.body.rows.map((r: { key: string }) => Number(r.key.split(':')[1]))]);
    expect(sent).toEqual([
      ['POST /v1/admin/imports/members', [2, 3, 4]],
      ['POST /v1/admin/imports/members', [4]],
      ['POST /v1/admin/imports/members', [5, 6]],
    ]);
    expect(seen[0]!.body.rows[0]).toMatchObject({ email: 'u0@example.com', points: 7, channel: 'import' });
    expect(seen[0]!.body.rows[0].key).toMatch(/^[0-9a-f]{64}:2$/);
    expect(JSON.parse(readFileSync(summary.stateFile, 'utf8'))).toMatchObject({ nextRow: 7, complete: true });
  });

  it('imports one row at a time from a club without the bulk route (404 NOT_FOUND)', async () => {
    const file = csvFile(3);
    const { api, seen } = await club((route, body) => {
      if (route === 'POST /v1/admin/imports/members') {
        return { status: 404, body: { error: { code: 'NOT_FOUND', message: `no route ${route}`, details: [] } } };
      }
      if (route === 'POST /v1/members') return { status: 201, body: { memberId: body.email } };
      return { status: 201, body: { entryId: 'e1', points: body.points, balance: body.points, reason: body.reason, duplicate: false } };
    });
    const said: string[] = [];
    const summary = await importMembers({ file, api, progress: { write: () => true }, log: (l) => said.push(l) });
    expect(summary).toMatchObject({ created: 3, failed: 0, openingBalances: 1 });
    expect(seen.map((s) => s.route).sort()).toEqual([
      'POST /v1/admin/imports/members',
      'POST /v1/members',
      'POST /v1/members',
      'POST /v1/members',
      'POST /v1/members/u0%40example.com/adjustments',
    ]);
    expect(said.join('\n')).toMatch(/one row at a time/);
  });
});

describe('CSV export rows', () => {
  it('flattens a member the way the import reads it back', () => {
    const row = memberRow({
      memberId: 'm1',
      email: 'a@example.com',
      tags: ['vip', 'early'],
      externalIds: { shopify: '77' },
      balance: 0,
      phone: null,
    });
    const at = (c: (typeof MEMBER_EXPORT_COLUMNS)[number]) => row[MEMBER_EXPORT_COLUMNS.indexOf(c)];
    expect(at('tags')).toBe('vip;early');
    expect(at('shopifyCustomerId')).toBe('77');
    expect(at('balance')).toBe('0');
    expect(at('phone')).toBe('');
    expect(ledgerRow('m1', { entryId: 'e1', type: 'adjust', points: 5, reason: 'opening balance' }).slice(0, 5)).toEqual([
      'm1',
      'e1',
      '',
      'adjust',
      '5',
    ]);
  });

  it('writes names a spreadsheet would run as text, and negative points as numbers', () => {
    const row = memberRow({
      memberId: 'm2',
      name: '=HYPERLINK("http://evil.example","Sara")',
      tags: ['@vip'],
      balance: -12,
      phone: '+989121234567',
    });
    const at = (c: (typeof MEMBER_EXPORT_COLUMNS)[number]) => row[MEMBER_EXPORT_COLUMNS.indexOf(c)];
    expect(at('name')).toBe(`'=HYPERLINK("http://evil.example","Sara")`);
    expect(at('tags')).toBe(`'@vip`);
    expect(at('balance')).toBe('-12');
    expect(at('phone')).toBe('+989121234567');
    expect(ledgerRow('m2', { entryId: 'e2', type: 'redeem', points: -40, reason: '-see note' })).toEqual(
      expect.arrayContaining(['-40', `'-see note`]),
    );
  });

  it('maps with a bounded pool, keeping the order', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 3, 2, 4], 2, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(most).toBe(2);
  });
});

describe('progress', () => {
  it('writes plain lines off a terminal, counting rows an earlier run did', () => {
    const lines: string[] = [];
    const p = new Progress(1000, 400, { stream: { write: (t: string) => lines.push(t), isTTY: false }, lineEveryMs: 0 });
    p.update(100, 'created 90 · failed 10');
    p.finish(600, 'done');
    expect(lines[0]).toMatch(/^50% · 500\/1,000 rows · \d[\d,]*\/s · ETA \S+ · created 90 · failed 10\n$/);
    expect(lines[1]).toMatch(/^100% · 1,000\/1,000 rows/);
  });

  it('redraws one line on a terminal', () => {
    const out: string[] = [];
    const p = new Progress(10, 0, { stream: { write: (t: string) => out.push(t), isTTY: true, columns: 120 } });
    p.update(5, '', true);
    expect(out[0]).toMatch(/^\r\x1b\[2K\[#+-+\] · 50%/);
    expect(duration(75)).toBe('1m15s');
    expect(duration(3 * 3600 + 120)).toBe('3h02m');
  });
});

describe('loyalty costs estimate', () => {
  it('prints the fixed floor and the per-request lines, in USD and the program currency (its own process, no club)', async () => {
    const run = await runCliProcess(undefined, [
      'costs',
      'estimate',
      '--orders-per-month',
      '100000',
      '--members',
      '10000',
      '--webhook-share',
      '0.5',
      '--rate',
      '1000',
    ]);
    expect(run.code).toBe(0);
    // The hand-worked bill of test/unit/shared/costs/estimate.test.ts: API earns $0.29725003 (297 at 1,000 per USD),
    // webhook earns $0.3595626525, the stream processor $0.37866671, fixed $8.70 (prod: no dashboard); per request
    // $0.29725 + $0.35956 + $0.37867 + $0.01113 + $0.15185 + $0.00566 + $0.01669 = $1.22081; total $9.92.
    expect(run.stdout).toMatch(/API earns\s+50,000 earn × \$0\.00000595\s+\$0\.30\s+297/);
    expect(run.stdout).toMatch(/webhook earns\s+50,000 earn × \$0\.00000719\s+\$0\.36\s+360/);
    expect(run.stdout).toMatch(/stream processor\s+100,000 invocation × \$0\.00000379\s+\$0\.38\s+379/);
    expect(run.stdout).toMatch(/fixed total\s+\$8\.70\s+8,700/);
    expect(run.stdout).toMatch(/X-Ray tracing.*active tracing off in prod/);
    expect(run.stdout).toMatch(/TOTAL a month\s+\$9\.92\s+9,921/);
  }, 30_000);

  it('exits 1 (as any misuse of the CLI) with a clear message on a bad flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--members', '10'], /--orders-per-month is required/],
      [['--orders-per-month', '1.5', '--members', '10'], /--orders-per-month must be a whole number/],
      [['--orders-per-month', '10', '--members', '10', '--webhook-share', '2'], /--webhook-share must be a number from 0 to 1/],
      [['--orders-per-month', '10', '--members', '10', '--rate=-3'], /--rate must be a number above 0/],
      [['--orders-per-month', '10', '--members', '10', '--stage', 'Prod!'], /--stage must be a stage name/],
      [['--orders-per-month', '10', '--members', '10', '--order-count', '3'], /Unknown option '--order-count'/],
    ];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      for (const [flags, message] of cases) {
        err.mockClear();
        expect(await main(['costs', 'estimate', ...flags])).toBe(1);
        expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(message);
      }
      expect(out).not.toHaveBeenCalled();
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
});
