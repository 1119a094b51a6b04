/**
 * `loyalty import members <file.csv>`: existing customers into the club
 * (docs/cli.md). Streams the file and sends its rows in batches to
 * POST /v1/admin/imports/members (each row keyed by the file's hash and its row
 * number, so a batch sent again adds nothing), a few batches in flight; writes
 * rejected rows to an error report, and keeps a checkpoint beside the file so
 * an interrupted run resumes where it stopped. A club without the bulk route
 * gets the rows one by one: POST /v1/members, then the opening balance as an
 * adjustment with a per-member key. Either way nothing is added twice even
 * without the checkpoint: a row whose member is already in the club with the
 * same identity counts as done.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { CSV_BOM, safeCell } from '../shared/csv';
import {
  columnOf,
  identityMismatches,
  mapHeader,
  parseMemberRow,
  RowWatermark,
  type HeaderMap,
  type ImportRow,
  type MemberIdentity,
  type RowProblem,
} from '../shared/import/member-csv';
import { errorOf, fail, type ApiError, type ClubApi } from './api';
import { Progress, type ProgressStream } from './progress';

export const OPENING_BALANCE_KEY = 'opening-balance';
export const OPENING_BALANCE_REASON = 'opening balance';

export type Outcome = 'created' | 'existing' | 'failed';

export interface ImportCounts {
  created: number;
  existing: number;
  failed: number;
  /** Rows whose opening balance is recorded (new, or found already recorded). */
  openingBalances: number;
}

/** The bulk route; a club older than it answers 404 NOT_FOUND and gets the rows one by one. */
export const BULK_ROUTE = '/v1/admin/imports/members';

export interface ImportOptions {
  readonly file: string;
  readonly api: ClubApi;
  /** Requests in flight. @default defaultConcurrency: 1 batch to a club on this machine, 3 to a deployed one (8 requests one by one) */
  readonly concurrency?: number;
  /** Rows a bulk request carries (at most 200, the route's limit). @default 100 */
  readonly batchSize?: number;
  /** @default `<file>.errors.csv` */
  readonly errorsFile?: string;
  /** @default `<file>.import-state.json` */
  readonly stateFile?: string;
  /** Ignore the checkpoint and go over every row again (still adds nothing twice). */
  readonly restart?: boolean;
  /** Channel for rows without one. @default 'import' */
  readonly channel?: string;
  /** Who the opening-balance adjustments name as actor. @default 'loyalty import' */
  readonly actor?: string;
  /** Stops reading new rows; rows in flight finish and the checkpoint is saved. */
  readonly signal?: AbortSignal;
  readonly progress?: ProgressStream;
  /** Testing: pause after each row, or each batch (ms), so an interruption lands midway. */
  readonly rowDelayMs?: number;
  readonly log?: (line: string) => void;
}

export interface ImportSummary extends ImportCounts {
  readonly file: string;
  readonly rows: number;
  /** Rows this run went over (the rest an earlier run had finished). */
  readonly processed: number;
  readonly resumedAt?: number;
  readonly interrupted: boolean;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly retries: number;
  readonly errorsFile: string;
  readonly stateFile: string;
}

/** A row read and checked, on its way to the club. */
interface Pending {
  readonly rowNo: number;
  readonly row: ImportRow;
}

interface Checkpoint {
  readonly v: 1;
  readonly sha256: string;
  readonly rows: number;
  /** Every row before this one (spreadsheet numbering: 2 is the first under the header) is done. */
  readonly nextRow: number;
  readonly counts: ImportCounts;
  readonly complete: boolean;
  readonly updatedAt: string;
}

const ERROR_COLUMNS = ['row', 'column', 'code', 'message'];

/** The error report is opened in spreadsheets too: formula-like text is written as text (shared/csv.ts). */
const safeCsv = (lines: readonly (readonly unknown[])[]) => stringify(lines.map((line) => line.map(safeCell)));
const FIRST_ROW = 2;

/** The file's hash and its number of data rows, in one streaming pass. */
async function survey(file: string): Promise<{ sha256: string; rows: number }> {
  const hash = createHash('sha256');
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  const stream = createReadStream(file);
  stream.on('data', (chunk) => hash.update(chunk));
  let records = 0;
  for await (const _ of stream.pipe(parser)) records++;
  return { sha256: hash.digest('hex'), rows: Math.max(0, records - 1) };
}

async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  try {
    const c = JSON.parse(await readFile(path, 'utf8')) as Checkpoint;
    return c.v === 1 && typeof c.nextRow === 'number' ? c : undefined;
  } catch {
    return undefined;
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** The report's lines for rows an earlier run finished; rows from the resume point on are redone. */
async function keptErrorLines(path: string, before: number): Promise<string[][]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const { parse: parseSync } = await import('csv-parse/sync');
  const records = parseSync(text, { bom: true, relax_column_count: true }) as string[][];
  return records.slice(1).filter((r) => Number(r[0]) < before);
}

/** A refusal as report lines: one per detail, at the column it names. */
function problemsOf(e: ApiError, header: HeaderMap): RowProblem[] {
  if (e.details.length === 0) return [{ column: '', code: e.code, message: e.message }];
  return e.details.map((d) => ({
    column: columnOf(d.path, header.labels),
    code: e.code,
    message: d.message === e.message ? d.message : `${e.message}: ${d.message}`,
  }));
}

/** The opening balance refused, for a member enrolled (or found): what to tell the store. */
function balanceProblem(e: ApiError, memberId: string, outcome: Outcome, header: HeaderMap): RowProblem {
  const message =
    e.code === 'IDEMPOTENCY_KEY_REUSED'
      ? `member ${memberId} already has a different opening balance; change it with an adjustment`
      : `member ${memberId} ${outcome === 'created' ? 'enrolled' : 'found'}, but the opening balance was refused: ${e.message}`;
  return { column: columnOf('points', header.labels), code: e.code, message };
}

/** One row against the club: enrol (or find it already enrolled), then its opening balance. */
async function importRow(
  api: ClubApi,
  row: ImportRow,
  header: HeaderMap,
  actor: string,
): Promise<{ outcome: Outcome; problems: RowProblem[]; balance: boolean }> {
  let outcome: Outcome;
  let memberId: string;
  const res = await api.post<MemberIdentity>('/v1/members', row.enrol);
  if (res.status === 201) {
    outcome = 'created';
    memberId = res.body.memberId;
  } else if (res.status === 409 && errorOf(res).code === 'ALREADY_EXISTS') {
    const path = errorOf(res).details[0]?.path;
    const existing = await findExisting(api, row, path);
    if (!existing) return { outcome: 'failed', problems: problemsOf(errorOf(res), header), balance: false };
    const mismatches = identityMismatches(row.enrol, existing);
    if (mismatches.length > 0) {
      // Someone else's: name the column the club refused, and what differs.
      const differs = mismatches.map((m) => columnOf(m.path, header.labels)).join(', ');
      return {
        outcome: 'failed',
        problems: [
          {
            column: columnOf(path, header.labels),
            code: 'ALREADY_EXISTS',
            message: `already held by member ${existing.memberId}, who has another ${differs}`,
          },
        ],
        balance: false,
      };
    }
    outcome = 'existing';
    memberId = existing.memberId;
  } else if (res.status === 400 || res.status === 409 || res.status === 422) {
    return { outcome: 'failed', problems: problemsOf(errorOf(res), header), balance: false };
  } else {
    // 401, a missing route, a 5xx after retries: every other row would fail the same way.
    fail(res, 'enrolment');
  }

  if (row.points === 0) return { outcome, problems: [], balance: false };
  const adj = await api.post(`/v1/members/${encodeURIComponent(memberId)}/adjustments`, {
    points: row.points,
    reason: OPENING_BALANCE_REASON,
    idempotencyKey: OPENING_BALANCE_KEY,
    actor,
  });
  if (adj.status === 200 || adj.status === 201) return { outcome, problems: [], balance: true };
  if (adj.status >= 400 && adj.status < 500 && adj.status !== 401) {
    return { outcome: 'failed', problems: [balanceProblem(errorOf(adj), memberId, outcome, header)], balance: false };
  }
  fail(adj, 'opening balance');
}

/** The member holding the identity the 409 named (its first detail's path). */
async function findExisting(api: ClubApi, row: ImportRow, path: string | undefined): Promise<MemberIdentity | undefined> {
  const e = row.enrol;
  const lookups: [string | undefined, string][] = [
    ['memberId', ''],
    ['email', 'email'],
    ['phone', 'phone'],
    ['externalIds.shopify', 'shopifyCustomerId'],
    ['externalIds.woocommerce', 'woocommerceCustomerId'],
  ];
  const valueByKey: Record<string, string | undefined> = {
    memberId: e.memberId,
    email: e.email,
    phone: e.phone,
    'externalIds.shopify': e.externalIds?.shopify,
    'externalIds.woocommerce': e.externalIds?.woocommerce,
  };
  // The path the club named first, then the row's other identities.
  const order = [...lookups.filter(([p]) => p === path), ...lookups.filter(([p]) => p !== path)];
  for (const [p, query] of order) {
    const value = valueByKey[p!];
    if (!value) continue;
    if (p === 'memberId') {
      const got = await api.get<MemberIdentity>(`/v1/members/${encodeURIComponent(value)}`);
      if (got.status === 200) return got.body;
      if (got.status !== 404) fail(got, 'member lookup');
    } else {
      const got = await api.get<{ items: MemberIdentity[] }>(`/v1/members?${query}=${encodeURIComponent(value)}`);
      if (got.status !== 200) fail(got, 'member lookup');
      if (got.body.items[0]) return got.body.items[0];
    }
  }
  return undefined;
}

/** A row the route answered (docs/api.md, POST /v1/admin/imports/members). */
interface BulkResult {
  readonly key: string;
  readonly status: 'created' | 'existing' | 'failed' | 'not-attempted';
  readonly memberId?: string;
  readonly openingBalance?: number;
  readonly error?: ApiError & { readonly status: number };
}

/**
 * Requests in flight unless --concurrency says otherwise. A club on this machine
 * is DynamoDB Local, which does one write at a time: measured on a 2-core machine
 * (issue #19, docs/cli.md), a 2,000-row import with its data on disk ran 38–43
 * rows/s with one batch in flight against 27–30 with 2, 3 or 6, the batches only
 * queueing behind each other (and each request nearing the function's timeout).
 * A deployed club's table takes batches side by side.
 */
export function defaultConcurrency(url: string, bulk: boolean): number {
  if (!bulk) return 8;
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.') ? 1 : 3;
}

/** Rounds in a row in which the club took none of a batch's rows before the import gives up. */
const STALLED_ROUNDS = 5;

export async function importMembers(options: ImportOptions): Promise<ImportSummary> {
  const { file, api } = options;
  const batchSize = Math.min(200, Math.max(1, options.batchSize ?? 100));
  // Until the club answers that it has no bulk route.
  let bulk = true;
  // Batches in flight; one by one, rows in flight (each a request or three).
  const concurrency = () => Math.max(1, options.concurrency ?? defaultConcurrency(api.url, bulk));
  const errorsFile = options.errorsFile ?? `${file}.errors.csv`;
  const stateFile = options.stateFile ?? `${file}.import-state.json`;
  const actor = options.actor ?? 'loyalty import';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const { sha256, rows } = await survey(file);
  const saved = options.restart ? undefined : await readCheckpoint(stateFile);
  if (saved && saved.sha256 !== sha256) {
    throw new Error(
      `${stateFile} belongs to a different version of ${file}. If the file was corrected, run again with --restart ` +
        '(rows already in the club are recognised by their identity and not added twice).',
    );
  }
  const startRow = saved ? saved.nextRow : FIRST_ROW;
  const counts: ImportCounts = saved ? { ...saved.counts } : { created: 0, existing: 0, failed: 0, openingBalances: 0 };
  if (saved?.complete) log(`${file} was imported completely before (${stateFile}); nothing to do. --restart goes over it again.`);
  else if (saved) log(`Resuming at row ${startRow} of ${rows + 1} (${stateFile}).`);

  // The report keeps what earlier runs found before the resume point; the rest is redone.
  const kept = saved ? await keptErrorLines(errorsFile, startRow) : [];
  await writeFile(errorsFile, CSV_BOM + safeCsv([ERROR_COLUMNS, ...kept]));
  let reportLines: string[][] = [];

  const watermark = new RowWatermark(startRow);
  // Outcomes of rows past the watermark; folded into `counts` as it passes them,
  // so the checkpoint's counts are exact for the rows it calls done.
  const pending = new Map<number, { outcome: Outcome; balance: boolean }>();
  const settle = (rowNo: number, outcome: Outcome, balance: boolean) => {
    pending.set(rowNo, { outcome, balance });
    const before = watermark.watermark;
    watermark.finish(rowNo);
    for (let r = before; r < watermark.watermark; r++) {
      const p = pending.get(r);
      if (!p) continue;
      pending.delete(r);
      counts[p.outcome]++;
      if (p.balance) counts.openingBalances++;
    }
  };
  const live = { created: 0, existing: 0, failed: 0, processed: 0 };

  const progress = new Progress(rows, startRow - FIRST_ROW, { stream: options.progress, label: 'rows' });
  api.retries = 0;
  const extra = () =>
    `created ${live.created} · existing ${live.existing} · failed ${live.failed}${api.retries ? ` · retries ${api.retries}` : ''}`;

  let saving = Promise.resolve();
  const save = (complete: boolean) => {
    const checkpoint: Checkpoint = {
      v: 1,
      sha256,
      rows,
      nextRow: watermark.watermark,
      counts: { ...counts },
      complete,
      updatedAt: new Date().toISOString(),
    };
    const lines = reportLines;
    reportLines = [];
    saving = saving.then(async () => {
      // Report lines first: the checkpoint never claims a row whose problems are not on disk.
      if (lines.length) await writeFile(errorsFile, safeCsv(lines), { flag: 'a' });
      await writeAtomically(stateFile, `${JSON.stringify(checkpoint, null, 2)}\n`);
    });
    return saving;
  };
  const report = (rowNo: number, problems: RowProblem[]) => {
    for (const p of problems) reportLines.push([String(rowNo), p.column, p.code, p.message]);
  };

  const started = performance.now();
  const timer = setInterval(() => void save(false).catch(() => {}), 1000);
  const inFlight = new Set<Promise<void>>();
  const track = (task: Promise<void>) => {
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };
  let fatal: unknown;
  let interrupted = false;
  let rowNo = FIRST_ROW - 2;
  let header: HeaderMap | undefined;
  const batch: Pending[] = [];
  const done = (rowNo: number, outcome: Outcome, problems: RowProblem[], balance: boolean) => {
    report(rowNo, problems);
    live[outcome]++;
    live.processed++;
    settle(rowNo, outcome, balance);
  };
  const pause = () => (options.rowDelayMs ? new Promise((res) => setTimeout(res, options.rowDelayMs)) : undefined);

  /** One row the old way: POST /v1/members, then its opening balance (a club without the bulk route, or a 409 to look into). */
  async function oneByOne(p: Pending): Promise<void> {
    try {
      const r = await importRow(api, p.row, header!, actor);
      done(p.rowNo, r.outcome, r.problems, r.balance);
      progress.update(live.processed, extra());
      await pause();
    } catch (err) {
      fatal ??= err;
    }
  }

  /**
   * A batch through the bulk route. Rows it answers are settled (a row another
   * member's identity refused is looked into one by one, as before: the same
   * customer imported from another file is done, someone else's is reported);
   * rows it had no time for are sent again, unless the run was interrupted:
   * then they stay unsettled and the checkpoint stops before them.
   */
  async function sendBatch(rows: Pending[]): Promise<void> {
    try {
      let pending = rows;
      let stalled = 0;
      while (pending.length && !fatal) {
        const res = await api.post<{ results: BulkResult[] }>(BULK_ROUTE, {
          rows: pending.map((p) => ({ ...p.row.enrol, key: `${sha256}:${p.rowNo}`, ...(p.row.points > 0 && { points: p.row.points }) })),
          actor,
        });
        if (res.status === 404 && errorOf(res).code === 'NOT_FOUND') {
          if (bulk) log(`${api.url} has no ${BULK_ROUTE} (an older club): importing one row at a time.`);
          bulk = false;
          for (const p of pending) await oneByOne(p);
          return;
        }
        if (res.status !== 200) fail(res, 'import batch');
        const again: Pending[] = [];
        const lookInto: Promise<void>[] = [];
        res.body.results.forEach((r, i) => {
          const p = pending[i]!;
          if (r.status === 'not-attempted') again.push(p);
          else if (r.status === 'failed' && r.error?.code === 'ALREADY_EXISTS' && !r.memberId) lookInto.push(oneByOne(p));
          else if (r.status === 'failed') {
            const e = r.error!;
            const problems = r.memberId ? [balanceProblem(e, r.memberId, 'created', header!)] : problemsOf(e, header!);
            done(p.rowNo, 'failed', problems, false);
          } else done(p.rowNo, r.status, [], r.openingBalance !== undefined);
        });
        await Promise.all(lookInto);
        progress.update(live.processed, extra());
        // The checkpoint moves with every answer, not only on the timer: a resume redoes less.
        void save(false).catch(() => {});
        await pause();
        if (options.signal?.aborted) return;
        stalled = again.length === pending.length ? stalled + 1 : 0;
        if (stalled >= STALLED_ROUNDS)
          throw new Error(`the club took none of ${again.length} rows ${STALLED_ROUNDS} times running; try again later`);
        pending = again;
      }
    } catch (err) {
      fatal ??= err;
    }
  }

  try {
    if (!saved?.complete) {
      const parser = createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
      for await (const record of parser as AsyncIterable<string[]>) {
        rowNo++;
        if (!header) {
          header = mapHeader(record);
          if (header.problems.length) throw new Error(`${file}: ${header.problems.join('; ')}`);
          if (header.ignored.length && startRow === FIRST_ROW) log(`Ignoring columns: ${header.ignored.join(', ')}`);
          continue;
        }
        if (rowNo < startRow) continue;
        if (fatal) break;
        if (options.signal?.aborted) {
          interrupted = true;
          break;
        }
        const thisRow = rowNo;
        const parsed = parseMemberRow(record, header, { channel: options.channel ?? 'import' });
        if (!parsed.ok) {
          report(thisRow, parsed.problems);
          live.failed++;
          live.processed++;
          settle(thisRow, 'failed', false);
          progress.update(live.processed, extra());
          continue;
        }
        if (bulk) {
          batch.push({ rowNo: thisRow, row: parsed.row });
          if (batch.length >= batchSize) track(sendBatch(batch.splice(0)));
        } else {
          track(oneByOne({ rowNo: thisRow, row: parsed.row }));
        }
        while (inFlight.size >= concurrency()) await Promise.race(inFlight);
      }
      if (!header) throw new Error(`${file} is empty: it needs a header row (docs/cli.md)`);
      if (batch.length && !fatal && !interrupted) track(sendBatch(batch.splice(0)));
    }
  } finally {
    await Promise.all(inFlight);
    clearInterval(timer);
    await save(!fatal && isDone());
  }
  if (fatal) throw fatal;

  function isDone() {
    return watermark.watermark >= rows + FIRST_ROW;
  }

  const seconds = (performance.now() - started) / 1000;
  progress.finish(live.processed, extra());
  return {
    file,
    rows,
    processed: live.processed,
    resumedAt: saved && !saved.complete ? startRow : undefined,
    interrupted: interrupted || !isDone(),
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: seconds > 0 ? Math.round(live.processed / seconds) : 0,
    retries: api.retries,
    ...counts,
    errorsFile,
    stateFile,
  };
}
