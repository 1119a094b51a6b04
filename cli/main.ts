/**
 * The staff CLI: `npx loyalty <command>` or `npm run loyalty -- <command>`.
 * Thin: parses the command line and hands over to the modules beside it.
 * docs/cli.md is the manual.
 */
import { parseArgs } from 'node:util';
import { ClubApi, fail } from './api';
import { resolveTarget } from './config';
import { costsCommand } from './costs';
import { exportLedger, exportMembers } from './export';
import { importMembers } from './import-members';

const HELP = `loyalty: the loyalty club's staff CLI (docs/cli.md)

Usage: loyalty <command> [options]

  import members <file.csv>          enrol existing customers; resumes after an interruption
      --concurrency N                requests in flight (default 3 batches, 1 to a club on this machine; 8 rows on a club without the bulk route)
      --batch-size N                 rows a request (default 100, at most 200)
      --errors <file>                rejected rows report (default <file.csv>.errors.csv)
      --restart                      ignore the checkpoint; go over every row again (adds nothing twice)
      --channel <name>               channel for rows without one (default import)
  export members <out.csv|->         every member, with balance and tier
  export ledger <out.csv|-> [--member <id>]
                                     ledger entries of one member, or of every member
  jobs run <job> [--as-of <ISO>]     run a scheduled job now (expire-points, expiry-reminders, reengage…)
  deliveries list [--status failed|replayed|dismissed] [--json]
  deliveries replay <id> | --all-failed
  costs estimate --orders-per-month N --members N [--webhook-share 0.8] [--stage prod] [--rate R]
                                     the monthly bill before deploying (no club needed; bad flags exit 2)

Which club (default: the local one that \`npm start\` runs):
  --url <url>        or LOYALTY_URL    (default http://127.0.0.1:$PORT or 3000)
  --token <token>    or LOYALTY_TOKEN  (default: the local club's .loyalty-data/api-token)
  --data-dir <dir>   where the local club keeps its token (default $LOYALTY_DATA_DIR or .loyalty-data)

Exit status: 0 done; 1 failed; 2 done, but some rows were rejected (see the report); 130 interrupted.
`;

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  'data-dir': { type: 'string' },
  concurrency: { type: 'string' },
  'batch-size': { type: 'string' },
  errors: { type: 'string' },
  restart: { type: 'boolean' },
  channel: { type: 'string' },
  member: { type: 'string' },
  'as-of': { type: 'string' },
  status: { type: 'string' },
  json: { type: 'boolean' },
  'all-failed': { type: 'boolean' },
  'row-delay-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

function positiveInt<F extends number | undefined>(value: string | undefined, name: string, fallback: F, max = 256): number | F {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  // Arithmetic only, no club: its own flags (a bad one exits 2).
  if (argv[0] === 'costs')
    return costsCommand(
      argv.slice(1),
      (s) => process.stdout.write(s),
      (s) => process.stderr.write(s),
    );
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [command, sub, arg] = positionals;
  if (values.help || !command || command === 'help') {
    process.stdout.write(HELP);
    return command || values.help ? 0 : 1;
  }

  const known = ['import members', 'export members', 'export ledger', 'jobs run', 'deliveries list', 'deliveries replay'];
  if (!known.includes(`${command} ${sub ?? ''}`.trim())) throw new UsageError(`unknown command "${positionals.join(' ')}"`);

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(
      `\n${signal}: finishing the requests in flight and saving progress (again to quit at once; a re-run resumes)...\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const target = resolveTarget({ url: values.url, token: values.token, dataDir: values['data-dir'] });
  const api = new ClubApi({ url: target.url, token: target.token });
  const out = (line: string) => process.stdout.write(`${line}\n`);

  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'import members': {
      if (!arg) throw new UsageError('import members needs a CSV file');
      const summary = await importMembers({
        file: arg,
        api,
        concurrency: positiveInt(values.concurrency, 'concurrency', undefined),
        batchSize: positiveInt(values['batch-size'], 'batch-size', undefined, 200),
        errorsFile: values.errors,
        restart: values.restart,
        channel: values.channel,
        signal: controller.signal,
        rowDelayMs: values['row-delay-ms'] ? Number(values['row-delay-ms']) : undefined,
      });
      out(
        `${summary.interrupted ? 'Interrupted' : 'Imported'} ${summary.file}: ${summary.created} created, ${summary.existing} already members, ` +
          `${summary.failed} rejected, ${summary.openingBalances} opening balances (${summary.rows} rows; this run ${summary.processed} in ${summary.seconds}s, ${summary.rowsPerSecond} rows/s).`,
      );
      if (summary.failed > 0) out(`Rejected rows: ${summary.errorsFile}`);
      if (summary.interrupted) {
        out(`Progress saved in ${summary.stateFile}; run the same command again to resume.`);
        return 130;
      }
      return summary.failed > 0 ? 2 : 0;
    }
    case 'export members': {
      if (!arg) throw new UsageError('export members needs an output file (or - for stdout)');
      const r = await exportMembers({ api, out: arg, signal: controller.signal });
      if (arg !== '-') out(`Wrote ${r.rows} members to ${arg}.`);
      return 0;
    }
    case 'export ledger': {
      if (!arg) throw new UsageError('export ledger needs an output file (or - for stdout)');
      const r = await exportLedger({ api, out: arg, memberId: values.member, signal: controller.signal });
      if (arg !== '-') out(`Wrote ${r.rows} ledger entries of ${r.members} members to ${arg}.`);
      return 0;
    }
    case 'jobs run': {
      if (!arg) throw new UsageError('jobs run needs a job name, e.g. expire-points');
      const asOf = values['as-of'];
      if (asOf !== undefined && Number.isNaN(Date.parse(asOf)))
        throw new UsageError('--as-of must be an ISO 8601 time, e.g. 2027-04-01T00:00:00Z');
      let continuation: string | undefined;
      let runAsOf = asOf;
      let totals: Record<string, unknown> = {};
      // A long run answers complete: false with a continuation; carry on until it is done, as of
      // the same instant (a continuation belongs to its run's asOf, which defaults to "now").
      for (let step = 1; step <= 10_000; step++) {
        const res = await api.post<{ complete?: boolean; continuation?: string; asOf?: string }>(
          `/v1/admin/jobs/${encodeURIComponent(arg)}/run`,
          {
            ...(runAsOf && { asOf: runAsOf }),
            ...(continuation && { continuation }),
          },
        );
        if (res.status !== 200) fail(res, `job ${arg}`);
        out(JSON.stringify(res.body));
        totals = addJobResult(totals, res.body);
        if (res.body.complete !== false || !res.body.continuation) {
          // Each line counts its own request: the last line of a longer run is the whole run's.
          if (step > 1) out(JSON.stringify({ ...totals, requests: step }));
          return 0;
        }
        continuation = res.body.continuation;
        runAsOf = res.body.asOf ?? runAsOf;
      }
      throw new Error(`job ${arg} did not complete after 10,000 continuations`);
    }
    case 'deliveries list': {
      const status = values.status ?? 'failed';
      if (status !== 'failed' && status !== 'replayed' && status !== 'dismissed')
        throw new UsageError('--status is failed, replayed or dismissed');
      const items = await listDeliveries(api, status);
      if (values.json) out(JSON.stringify(items, null, 2));
      else if (items.length === 0) out(`No ${status} deliveries.`);
      else {
        for (const d of items) {
          const reason = d.reason as { code?: string; message?: string } | undefined;
          out(
            [d.id, d.source, d.topic, d.failedAt, `attempts ${d.attempts}`, reason ? `${reason.code}: ${reason.message}` : ''].join('\t'),
          );
        }
      }
      return 0;
    }
    case 'deliveries replay': {
      const ids = values['all-failed'] ? (await listDeliveries(api, 'failed')).map((d) => String(d.id)) : arg ? [arg] : [];
      if (ids.length === 0 && !values['all-failed']) throw new UsageError('deliveries replay needs a delivery id or --all-failed');
      let failed = 0;
      for (const id of ids) {
        const res = await api.post(`/v1/admin/deliveries/${encodeURIComponent(id)}/replay`, {});
        if (res.status === 200) out(`${id}\treplayed${(res.body as { duplicate?: boolean }).duplicate ? ' (already)' : ''}`);
        else if (res.status === 422 || res.status === 404) {
          failed++;
          const e = (res.body as { error?: { code: string; message: string } }).error;
          out(`${id}\t${e?.code ?? res.status}: ${e?.message ?? ''}`);
        } else fail(res, `replay of ${id}`);
      }
      out(`${ids.length - failed} of ${ids.length} replayed.`);
      return failed > 0 ? 2 : 0;
    }
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  }
}

async function listDeliveries(api: ClubApi, status: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `status=${status}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await api.get<{ items: Record<string, unknown>[]; nextCursor: string | null }>(`/v1/admin/deliveries?${q}`);
    if (res.status !== 200) fail(res, 'deliveries list');
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/** The program: runs the command and exits with its status. */
export function runCli(argv: string[]): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(argv).then(
    (code) => process.exit(code),
    (err) => {
      // An export stopped by Ctrl-C: its partial file is already removed.
      if (err instanceof Error && err.message === 'interrupted') process.exit(130);
      const usage = err instanceof UsageError || String((err as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS');
      process.stderr.write(`loyalty: ${err instanceof Error ? err.message : String(err)}\n`);
      if (usage) process.stderr.write('Run `loyalty --help` for the commands.\n');
      process.exit(1);
    },
  );
}

// `tsx cli/main.ts` (npm run loyalty); the bin (cli/loyalty.mjs) calls runCli itself.
if (process.argv[1] && /cli[\\/]main\.ts$/.test(process.argv[1])) runCli(process.argv.slice(2));

/** A job run's totals so far with one more request's answer: counts summed, lists joined, the rest as the latest says. */
function addJobResult(totals: Record<string, unknown>, answer: Record<string, unknown>): Record<string, unknown> {
  const next: Record<string, unknown> = { ...totals };
  for (const [key, value] of Object.entries(answer)) {
    const had = totals[key];
    if (key === 'continuation') continue;
    if (typeof value === 'number' && typeof had === 'number') next[key] = had + value;
    else if (Array.isArray(value) && Array.isArray(had)) next[key] = [...had, ...value];
    else next[key] = value;
  }
  return next;
}
