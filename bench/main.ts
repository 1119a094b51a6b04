/**
 * npm run bench: what the club costs per request and how big its Lambdas are.
 * Starts its own in-memory club (DynamoDB Local), so it needs no AWS and
 * touches no data dir. Prints tables and writes .bench/latest.json.
 * BENCH_N (default 100) sets the requests per operation.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { startClub } from '../local/club';
import { measureBundles } from './bundles';
import { measureHttpOps } from './http-ops';
import { measureImport, type ImportFigures } from './import';
import { measureDiskImport, type DiskImportFigures } from './import-disk';
import { markdownTable, writeReadmeSection } from './readme';
import { webhookQueueService } from '../local/webhook-queue';
import { measureWebhooks } from './webhooks';
import { measureJobsScale } from './jobs-scale';
import { measureContention } from './contention';
import { measureEarnMix } from './earn-mix';
import { measureEarnRatio } from './earn-ratio';
import { apiEarnCost, costLogOffset, costLogSince, earnCostRows, PRICE_NOTE, webhookEarnCost } from './costs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const n = Number(process.env.BENCH_N ?? 100);
/** Rows of the CLI member import run (issue #6: 50,000); 0 skips it. */
const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
/** Rows of the import against a club with data on disk, as `npm start` runs (issue #19: 2,000); 0 skips it. */
const diskImportRows = Number(process.env.BENCH_DISK_IMPORT_ROWS ?? 2_000);

/** `--only earn-mix` or `--only earn-ratio`: just that case (the whole bench takes minutes); `--only readme`: the README's section from the last run. */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

async function earnMixOnly(): Promise<void> {
  const club = await startClub({ inMemory: true, quiet: true });
  try {
    const mixN = Number(process.env.BENCH_MIX_N ?? 20);
    console.log(`\nCost per 1M earns by member (${mixN} earns a case), ${PRICE_NOTE}; write units by AWS's rule for transactions\n`);
    const { cases: mix, stream } = await measureEarnMix(club, mixN);
    console.table(mix);
    for (const c of mix)
      console.log(
        `${c.case}: ${c.rru} RRU, ${c.wru} WRU, $${c.perMillion.toFixed(2)} per 1M earns ($${c.perMillionTraced.toFixed(2)} with tracing)`,
      );
    console.log(
      `stream processor (report counters + events), after the request: ${stream.wruPerChange} WRU and $${stream.perMillion.toFixed(2)} per 1M changes counted ` +
        `(${stream.changes} earns and enrolments, ${stream.invocations} invocations of ${stream.msPerInvocation} ms, ${stream.recordsPerInvocation} stream records each)`,
    );
    mkdirSync('.bench', { recursive: true });
    writeFileSync('.bench/earn-mix.json', `${JSON.stringify({ at: new Date().toISOString(), n: mixN, mix, stream }, null, 2)}\n`);
  } finally {
    await club.stop();
  }
}

/** The earn's throughput against the minimal correct pattern on the same DynamoDB Local (issue #15: ≥ 0.8). */
async function earnRatioOnly(): Promise<void> {
  // The request path alone: the stream processor's counters (a second DynamoDB write per change, after the
  // request) would load the one DynamoDB Local under every path's rounds alike; earn-mix prices that share.
  const club = await startClub({ inMemory: true, quiet: true, services: [] });
  try {
    const options = { earnsPerRound: Number(process.env.BENCH_RATIO_N ?? 200), rounds: 5, concurrency: 8, members: 32 };
    console.log(
      `\nEarns a second against the minimal correct earn (1 consistent member read + a 2-item conditional transaction), ` +
        `same DynamoDB Local, ${options.rounds} interleaved rounds of ${options.earnsPerRound}, ${options.concurrency} at a time\n`,
    );
    const figures = await measureEarnRatio(club, options);
    console.table(figures);
    mkdirSync('.bench', { recursive: true });
    writeFileSync('.bench/earn-ratio.json', `${JSON.stringify({ at: new Date().toISOString(), ...options, figures }, null, 2)}\n`);
  } finally {
    await club.stop();
  }
}

/** What one full run measured: .bench/latest.json. */
interface BenchRun {
  readonly at?: string;
  readonly n: number;
  readonly ops: Awaited<ReturnType<typeof measureHttpOps>>;
  readonly webhooks: Awaited<ReturnType<typeof measureWebhooks>>;
  readonly earnCosts: ReturnType<typeof apiEarnCost>[];
  readonly jobs: Awaited<ReturnType<typeof measureJobsScale>>;
  readonly bundles: Awaited<ReturnType<typeof measureBundles>>;
  readonly memberImport?: ImportFigures;
  readonly diskImport?: DiskImportFigures[];
}

/** The README's bench section from a run's figures (`--readme` after a run, `--only readme` from .bench/latest.json). */
function writeReadme({ at, n, ops, webhooks, earnCosts, jobs, bundles, memberImport, diskImport }: BenchRun): void {
  writeReadmeSection([
    `Measured ${(at ?? new Date().toISOString()).slice(0, 10)}, ${n} requests per operation:`,
    markdownTable(
      ops.map((o) => ({
        operation: o.op,
        RCU: o.rcuPerRequest,
        WCU: o.wcuPerRequest,
        'WCU (table items)': o.wcuTablePerRequest,
        'WRU (AWS rule)': o.wruAwsPerRequest,
        'DynamoDB calls': o.dynamoCallsPerRequest,
        'Lambda invocations': o.lambdaInvocationsPerRequest,
        'p50 ms': o.p50ms,
        'p99 ms': o.p99ms,
      })),
    ),
    markdownTable([
      {
        'webhook deliveries': webhooks.deliveries,
        'per second': webhooks.deliveriesPerSecond,
        'consumer invocations per 1,000': webhooks.invocationsPer1000,
        'RCU per order': webhooks.rcuPerOrder,
        'WCU per order': webhooks.wcuPerOrder,
        'receiver p50 ms': webhooks.receiverP50ms,
        'receiver p99 ms': webhooks.receiverP99ms,
      },
    ]),
    `Cost per 1M earns (${PRICE_NOTE}; DynamoDB write units by AWS's rule for transactions; Lambda at the measured durations, 512 MB arm64; see docs/costs.md):`,
    // The API figure is fresh members' earns, the best case: the realistic mix is `--only earn-mix` (docs/costs.md).
    earnCosts
      .map((c) => `**Cost per 1M earns via ${c.path}${c.path === 'API' ? ' (best case)' : ''}: $${c.per1M.total.toFixed(2)}**`)
      .join(' · '),
    markdownTable(earnCostRows(earnCosts)),
    markdownTable([
      {
        job: jobs.job,
        'club members': jobs.members,
        'due members': jobs.due,
        'RCU (big club)': jobs.rcuBigClub,
        'RCU (only the due)': jobs.rcuDueOnly,
        ratio: jobs.ratio,
      },
    ]),
    ...(memberImport
      ? [
          markdownTable([
            {
              'CLI import rows': memberImport.rows,
              'bad rows': memberImport.badRows,
              'rows/s': memberImport.rowsPerSecond,
              'requests per row': memberImport.requestsPerRow,
              'RCU per row': memberImport.rcuPerRow,
              'WCU per row': memberImport.wcuPerRow,
              'members after': memberImport.membersAfter,
              'rows reported': memberImport.reportedRows,
            },
          ]),
        ]
      : []),
    ...(diskImport
      ? [
          markdownTable(
            diskImport.map((d) => ({
              'CLI import, store': {
                'npm start': 'npm start (data on disk, stream poller counting)',
                disk: 'data on disk, import alone',
                memory: 'in memory, import alone',
              }[d.store],
              rows: d.rows,
              'rows/s': d.rowsPerSecond,
              'DynamoDB calls per row': d.callsPerRow,
              'RCU per row': d.rcuPerRow,
              'WRU per row (AWS rule)': d.wruPerRow,
            })),
          ),
        ]
      : []),
    markdownTable(bundles.map((b) => ({ function: b.fn, 'bundle KB': Math.round((b.bytes / 1024) * 10) / 10 }))),
  ]);
  console.log('updated README.md');
}

/** N redemptions at once on one member who can pay them all: how many answer 200, 503 (send again), another 5xx. */
async function contentionOnly(): Promise<void> {
  const club = await startClub({ inMemory: true, quiet: true });
  try {
    const redemptions = Number(process.env.BENCH_CONTENTION_N ?? 100);
    console.log(`\n${redemptions} redemptions of 1 point at once on one member holding enough for all, POST /v1/redeem\n`);
    const figures = await measureContention(club, redemptions);
    console.table([figures]);
    mkdirSync('.bench', { recursive: true });
    writeFileSync('.bench/contention.json', `${JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2)}\n`);
    if (figures.other5xx > 0) process.exitCode = 1;
  } finally {
    await club.stop();
  }
}

async function main(): Promise<void> {
  if (only === 'earn-mix') return earnMixOnly();
  if (only === 'earn-ratio') return earnRatioOnly();
  if (only === 'contention') return contentionOnly();
  if (only === 'readme') return writeReadme(JSON.parse(readFileSync('.bench/latest.json', 'utf8')) as BenchRun);
  if (only !== undefined) throw new Error(`--only takes earn-mix, earn-ratio, contention or readme (got ${only})`);
  const queue = webhookQueueService({ batchWindowMs: 500 });
  const club = await startClub({ inMemory: true, quiet: true, services: [queue] });
  let measured: Omit<BenchRun, 'at' | 'diskImport'>;
  try {
    console.log(`\nDynamoDB capacity per API request (DynamoDB Local, ReturnConsumedCapacity; ${n} requests each)\n`);
    const apiStart = costLogOffset(club.costsFile);
    const ops = await measureHttpOps(club, n);
    const apiLines = costLogSince(club.costsFile, apiStart);
    console.table(ops);

    const webhookN = Number(process.env.BENCH_WEBHOOKS ?? 1000);
    console.log(`\nWebhook path: ${webhookN} signed Shopify orders/paid, HTTP → queue → batch consumer → DynamoDB Local\n`);
    const webhookStart = costLogOffset(club.costsFile);
    const webhooks = await measureWebhooks(club, queue, webhookN);
    const webhookLines = costLogSince(club.costsFile, webhookStart);
    console.table([webhooks]);

    // What an earn costs on AWS, by path: the requests above as their handlers recorded them (docs/costs.md).
    const earnCosts = [apiEarnCost(apiLines), webhookEarnCost(webhookLines, webhooks.deliveries)];
    console.log(
      `\nCost per 1M earns, ${PRICE_NOTE}; DynamoDB write units by AWS's rule for transactions; Lambda at the measured durations and 512 MB\n`,
    );
    for (const c of earnCosts) console.log(`cost per 1M earns via ${c.path}: $${c.per1M.total.toFixed(2)}`);
    console.table(earnCostRows(earnCosts));

    const members = Number(process.env.BENCH_MEMBERS ?? 20_000);
    const due = Number(process.env.BENCH_DUE ?? 500);
    console.log(`\nexpire-points (no scan): ${due} due members in a club of ${members} vs a club of only the ${due}\n`);
    const jobs = await measureJobsScale(club, { members, due });
    console.table([jobs]);
    if (!jobs.withinTwice) {
      console.error(`expire-points read units grew with the club: ${jobs.ratio}× (limit 2×)`);
      process.exitCode = 1;
    }

    console.log('\nLambda bundles (esbuild, minified ESM, @aws-sdk external — as the CDK stack builds them)\n');
    const bundles = await measureBundles();
    console.table(bundles.map((b) => ({ fn: b.fn, KB: Math.round((b.bytes / 1024) * 10) / 10 })));

    let memberImport: ImportFigures | undefined;
    if (importRows > 0) {
      console.log(`\nStaff CLI: import ${importRows} members from CSV (1% bad rows), interrupted at 40% and resumed (BENCH_IMPORT_ROWS)\n`);
      memberImport = await measureImport(club, importRows);
      console.table([memberImport]);
    }

    measured = { n, ops, webhooks, earnCosts, jobs, bundles, memberImport };
  } finally {
    await club.stop();
  }

  // Clubs of its own (one club a process: the handlers share the process's environment), so after the first stopped.
  let diskImport: DiskImportFigures[] | undefined;
  if (diskImportRows > 0) {
    console.log(
      `\nStaff CLI: import ${diskImportRows} members into a club with data on disk (as npm start), and in memory (BENCH_DISK_IMPORT_ROWS)\n`,
    );
    diskImport = await measureDiskImport(diskImportRows);
    console.table(diskImport);
  }

  const run: BenchRun = { at: new Date().toISOString(), ...measured, diskImport };
  mkdirSync('.bench', { recursive: true });
  writeFileSync('.bench/latest.json', `${JSON.stringify(run, null, 2)}\n`);
  console.log('\nwrote .bench/latest.json');
  if (process.argv.includes('--readme')) writeReadme(run);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
