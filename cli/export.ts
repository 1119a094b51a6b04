/**
 * `loyalty export members|ledger <out.csv>`: CSV through the API's cursors.
 * The file is written beside the target and renamed at the end, so an
 * interrupted export never leaves a file that looks complete. `-` is stdout.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import { CSV_BOM, safeCell } from '../shared/csv';
import { fail, type ClubApi } from './api';
import { Progress, type ProgressStream } from './progress';

export const MEMBER_EXPORT_COLUMNS = [
  'memberId',
  'email',
  'phone',
  'name',
  'birthday',
  'channel',
  'tags',
  'shopifyCustomerId',
  'woocommerceCustomerId',
  'tier',
  'balance',
  'lifetimePoints',
  'pendingPoints',
  'referredBy',
  'joinedAt',
  'lastActivityAt',
] as const;

export const LEDGER_EXPORT_COLUMNS = [
  'memberId',
  'entryId',
  'at',
  'type',
  'points',
  'balanceAfter',
  'orderId',
  'refundId',
  'amount',
  'currency',
  'reason',
  'actor',
  'campaigns',
  'pendingPoints',
  'releaseAt',
  'programVersion',
] as const;

type Row = Record<string, unknown>;

/** Safe to open in a spreadsheet: text that looks like a formula is written as text (shared/csv.ts). */
const cell = (v: unknown): string => safeCell(Array.isArray(v) ? v.join(';') : v);

export function memberRow(m: Row): string[] {
  const ext = (m.externalIds ?? {}) as Row;
  const flat: Row = { ...m, shopifyCustomerId: ext.shopify, woocommerceCustomerId: ext.woocommerce };
  return MEMBER_EXPORT_COLUMNS.map((c) => cell(flat[c]));
}

export function ledgerRow(memberId: string, e: Row): string[] {
  return LEDGER_EXPORT_COLUMNS.map((c) => cell(c === 'memberId' ? memberId : e[c]));
}

/** A CSV sink: a temp file renamed into place by `commit`, or stdout. */
class CsvOut {
  private readonly stream: NodeJS.WritableStream;
  private readonly tmp?: string;
  rows = 0;

  constructor(private readonly path: string) {
    if (path === '-') this.stream = process.stdout;
    else {
      this.tmp = `${path}.partial`;
      this.stream = createWriteStream(this.tmp);
    }
    this.stream.write(CSV_BOM);
  }

  async write(rows: string[][]): Promise<void> {
    if (rows.length === 0) return;
    this.rows += rows.length;
    if (!this.stream.write(stringify(rows))) await once(this.stream, 'drain');
  }

  async commit(): Promise<void> {
    if (!this.tmp) return;
    await new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    await rename(this.tmp, this.path);
  }

  async abandon(): Promise<void> {
    if (!this.tmp) return;
    this.stream.end();
    await rm(this.tmp, { force: true });
  }
}

export interface ExportOptions {
  readonly api: ClubApi;
  readonly out: string;
  readonly progress?: ProgressStream;
  readonly signal?: AbortSignal;
  /** Page size. @default 200 members, 100 ledger entries */
  readonly pageSize?: number;
}

async function* memberPages(api: ClubApi, pageSize: number, signal?: AbortSignal): AsyncGenerator<Row[]> {
  let cursor: string | null = null;
  do {
    if (signal?.aborted) throw new Error('interrupted');
    const q: string = `limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await api.get<{ items: Row[]; nextCursor: string | null }>(`/v1/admin/members?${q}`);
    if (res.status !== 200) fail(res, 'member list');
    yield res.body.items;
    cursor = res.body.nextCursor;
  } while (cursor);
}

async function* ledgerPages(api: ClubApi, memberId: string, signal?: AbortSignal): AsyncGenerator<Row[]> {
  let cursor: string | null = null;
  do {
    if (signal?.aborted) throw new Error('interrupted');
    const q: string = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await api.get<{ items: Row[]; nextCursor: string | null }>(`/v1/members/${encodeURIComponent(memberId)}/ledger?${q}`);
    if (res.status !== 200) fail(res, `ledger of ${memberId}`);
    yield res.body.items;
    cursor = res.body.nextCursor;
  } while (cursor);
}

async function withOut<T>(path: string, work: (out: CsvOut) => Promise<T>): Promise<T> {
  const out = new CsvOut(path);
  try {
    const result = await work(out);
    await out.commit();
    return result;
  } catch (err) {
    await out.abandon();
    throw err;
  }
}

export async function exportMembers(options: ExportOptions): Promise<{ rows: number }> {
  return withOut(options.out, async (out) => {
    const progress = new Progress(undefined, 0, { stream: options.progress, label: 'members' });
    await out.write([[...MEMBER_EXPORT_COLUMNS]]);
    for await (const page of memberPages(options.api, options.pageSize ?? 200, options.signal)) {
      await out.write(page.map(memberRow));
      progress.update(out.rows - 1, '');
    }
    progress.finish(out.rows - 1, '');
    return { rows: out.rows - 1 };
  });
}

/** One member's ledger, or every member's (member after member, newest entry first within each). */
export async function exportLedger(options: ExportOptions & { memberId?: string }): Promise<{ rows: number; members: number }> {
  return withOut(options.out, async (out) => {
    const progress = new Progress(undefined, 0, { stream: options.progress, label: 'entries' });
    await out.write([[...LEDGER_EXPORT_COLUMNS]]);
    let members = 0;
    const entriesOf = async (memberId: string) => {
      const rows: string[][] = [];
      for await (const page of ledgerPages(options.api, memberId, options.signal)) rows.push(...page.map((e) => ledgerRow(memberId, e)));
      return rows;
    };
    const pages = options.memberId ? [[{ memberId: options.memberId }]] : memberPages(options.api, options.pageSize ?? 200, options.signal);
    for await (const page of pages) {
      // A few members' ledgers at a time, written in the page's order.
      const ledgers = await mapLimit(page, 8, (m) => entriesOf(String(m.memberId)));
      for (const rows of ledgers) {
        members++;
        await out.write(rows);
      }
      progress.update(out.rows - 1, `${members} members`);
    }
    progress.finish(out.rows - 1, `${members} members`);
    return { rows: out.rows - 1, members };
  });
}

/** fn over items with at most `limit` running; results in the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
