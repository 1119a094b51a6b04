/**
 * The member import file (docs/cli.md): which columns it may have, how one row
 * becomes an enrolment (the same zod schemas POST /v1/members validates with),
 * and when a member already in the club is the row's member (a resumed or
 * repeated import), so nothing is added twice.
 */
import * as z from 'zod';
import { normalizeEmail } from '../domain/member';
import { readBirthday } from '../domain/jalali';
import { samePhone } from '../domain/phone';
import { Points } from '../schemas/common';
import { EnrolMemberBody } from '../schemas/members';
import { restoreCell } from '../csv';

/** The columns the importer understands, in the order the docs list them. */
export const MEMBER_COLUMNS = [
  'memberId',
  'email',
  'phone',
  'name',
  'firstName',
  'lastName',
  'birthday',
  'channel',
  'tags',
  'shopifyCustomerId',
  'woocommerceCustomerId',
  'points',
] as const;
export type MemberColumn = (typeof MEMBER_COLUMNS)[number];

/** Other spellings seen in store exports; headers compare without case, spaces, '_' or '-'. */
const ALIASES: Record<string, MemberColumn> = {
  memberid: 'memberId',
  email: 'email',
  emailaddress: 'email',
  phone: 'phone',
  phonenumber: 'phone',
  mobile: 'phone',
  name: 'name',
  fullname: 'name',
  firstname: 'firstName',
  lastname: 'lastName',
  birthday: 'birthday',
  birthdate: 'birthday',
  dateofbirth: 'birthday',
  channel: 'channel',
  tags: 'tags',
  shopifycustomerid: 'shopifyCustomerId',
  shopifyid: 'shopifyCustomerId',
  woocommercecustomerid: 'woocommerceCustomerId',
  woocommerceid: 'woocommerceCustomerId',
  points: 'points',
  openingpoints: 'points',
  openingbalance: 'points',
};

export const headerKey = (header: string) =>
  header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

export interface HeaderMap {
  /** For each CSV column (by position): the importer's column, or undefined when ignored. */
  readonly columns: readonly (MemberColumn | undefined)[];
  /** The header text the file used for each importer column: error reports name it. */
  readonly labels: Readonly<Partial<Record<MemberColumn, string>>>;
  readonly ignored: readonly string[];
  /** Problems that stop the import before any row is sent. */
  readonly problems: readonly string[];
}

export function mapHeader(header: readonly string[]): HeaderMap {
  const columns: (MemberColumn | undefined)[] = [];
  const labels: Partial<Record<MemberColumn, string>> = {};
  const ignored: string[] = [];
  const problems: string[] = [];
  for (const raw of header) {
    const label = raw.replace(/^\uFEFF/, '').trim();
    const column = ALIASES[headerKey(label)];
    if (!column) {
      if (label !== '') ignored.push(label);
      columns.push(undefined);
    } else if (labels[column] !== undefined) {
      problems.push(`columns "${labels[column]}" and "${label}" both mean ${column}`);
      columns.push(undefined);
    } else {
      labels[column] = label;
      columns.push(column);
    }
  }
  const identities = ['memberId', 'email', 'phone', 'shopifyCustomerId', 'woocommerceCustomerId'] as const;
  if (!identities.some((c) => labels[c] !== undefined)) {
    problems.push(`the header needs at least one of ${identities.join(', ')} (found: ${header.join(', ') || 'nothing'})`);
  }
  return { columns, labels, ignored, problems };
}

const enrol = EnrolMemberBody.shape;
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const cell = <S extends z.ZodType>(schema: S) => z.preprocess(blankToUndefined, schema.optional());

/** Store exports write birthdays many ways: Jalali or Gregorian, Persian digits, / or -; kept as the API takes them. */
const BirthdayCell = z.string().transform((text, ctx) => {
  const read = readBirthday(text);
  if (read.ok) return read.birthday;
  ctx.addIssue({ code: 'custom', message: read.reason });
  return z.NEVER;
});

/** One row's cells by importer column; blank cells are absent. */
export const MemberCsvRow = z
  .object({
    memberId: cell(enrol.memberId.unwrap()),
    email: cell(z.email({ error: 'not an email address; expected one like name@example.com' }).max(254, 'at most 254 characters')),
    phone: cell(enrol.phone.unwrap()),
    name: cell(z.string().max(200)),
    firstName: cell(z.string().max(100)),
    lastName: cell(z.string().max(100)),
    birthday: cell(BirthdayCell),
    channel: cell(enrol.channel.unwrap()),
    tags: cell(z.string().max(4000)),
    shopifyCustomerId: cell(z.string().min(1)),
    woocommerceCustomerId: cell(z.string().min(1)),
    points: cell(
      z
        .string()
        .regex(/^\d{1,12}$/, 'a whole number of points, 0 or more')
        .transform(Number)
        .pipe(Points.min(0)),
    ),
  })
  .refine((r) => r.memberId || r.email || r.phone || r.shopifyCustomerId || r.woocommerceCustomerId, {
    message: 'needs at least one of memberId, email, phone, shopifyCustomerId, woocommerceCustomerId',
  });

export interface ImportRow {
  /** What POST /v1/members gets. */
  readonly enrol: z.output<typeof EnrolMemberBody>;
  /** Opening balance: an adjustment with reason "opening balance", once per member. */
  readonly points: number;
}

export interface RowProblem {
  /** The header text of the column at fault; '' when the row as a whole is. */
  readonly column: string;
  readonly code: string;
  readonly message: string;
}

export type RowResult = { ok: true; row: ImportRow } | { ok: false; problems: RowProblem[] };

/** Where an enrolment error's detail path points in the file. */
const PATH_COLUMN: Record<string, MemberColumn> = {
  memberId: 'memberId',
  email: 'email',
  phone: 'phone',
  name: 'name',
  birthday: 'birthday',
  channel: 'channel',
  tags: 'tags',
  'externalIds.shopify': 'shopifyCustomerId',
  'externalIds.woocommerce': 'woocommerceCustomerId',
  points: 'points',
};

/** The column a contract error detail's path names, as the file labels it. */
export function columnOf(path: string | undefined, labels: HeaderMap['labels']): string {
  if (!path) return '';
  // Validation errors name the part of the request first: body.email.
  path = path.replace(/^body\./, '');
  const head = path.split(/[.[]/)[0] ?? '';
  const column = PATH_COLUMN[path] ?? PATH_COLUMN[head];
  if (column === 'name') return labels.name ?? labels.firstName ?? labels.lastName ?? 'name';
  return column ? (labels[column] ?? column) : path;
}

/** Turns one CSV record (cells by position) into an enrolment, or says what is wrong, column by column. */
export function parseMemberRow(cells: readonly string[], header: HeaderMap, defaults: { channel?: string } = {}): RowResult {
  const raw: Partial<Record<MemberColumn, string>> = {};
  header.columns.forEach((column, i) => {
    // A file `loyalty export` wrote has formula-like text neutralised for spreadsheets.
    if (column) raw[column] = restoreCell(cells[i] ?? '');
  });
  const flat = MemberCsvRow.safeParse(raw);
  if (!flat.success) {
    return {
      ok: false,
      problems: flat.error.issues.map((issue) => {
        const column = issue.path.length ? (String(issue.path[0]) as MemberColumn) : undefined;
        // What the cell said, then why it is refused and the form expected: enough to fix the file.
        const given = column ? raw[column]?.trim() : undefined;
        return {
          column: column ? columnOf(column, header.labels) : '',
          code: 'VALIDATION_FAILED',
          message: given ? `"${given}": ${issue.message}` : issue.message,
        };
      }),
    };
  }
  const r = flat.data;
  const name = r.name ?? ([r.firstName, r.lastName].filter(Boolean).join(' ') || undefined);
  const tags = r.tags
    ? [
        ...new Set(
          r.tags
            .split(/[,;|]/)
            .map((t) => t.trim())
            .filter(Boolean),
        ),
      ]
    : undefined;
  const candidate = {
    memberId: r.memberId,
    email: r.email,
    phone: r.phone,
    name,
    birthday: r.birthday,
    channel: r.channel ?? defaults.channel,
    tags,
    externalIds:
      r.shopifyCustomerId || r.woocommerceCustomerId ? { shopify: r.shopifyCustomerId, woocommerce: r.woocommerceCustomerId } : undefined,
  };
  // The API's own schema decides the rest (lengths, id formats), so a row that passes here is one the API takes.
  const body = EnrolMemberBody.safeParse(JSON.parse(JSON.stringify(candidate)));
  if (!body.success) {
    return {
      ok: false,
      problems: body.error.issues.map((issue) => ({
        column: columnOf(issue.path.map(String).join('.'), header.labels),
        code: 'VALIDATION_FAILED',
        message: issue.message,
      })),
    };
  }
  return { ok: true, row: { enrol: body.data, points: r.points ?? 0 } };
}

/** The identity a member shows on the wire (GET /v1/members/{id}). */
export interface MemberIdentity {
  readonly memberId: string;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly externalIds?: { readonly shopify?: string; readonly woocommerce?: string };
}

/**
 * Whether `existing` is the member this row describes: every identity the row
 * gives (member id, email, phone, shop ids) is the member's own. Then the row
 * was imported before (an interrupted or repeated run) and is done, not an
 * error. Otherwise: the columns that point at someone else.
 */
export function identityMismatches(row: ImportRow['enrol'], existing: MemberIdentity): { path: string; code: string; message: string }[] {
  const out: { path: string; code: string; message: string }[] = [];
  const differs = (path: string, what: string) =>
    out.push({ path, code: 'ALREADY_EXISTS', message: `member ${existing.memberId} holds another identity: ${what} differs` });
  if (row.memberId && row.memberId !== existing.memberId) differs('memberId', 'memberId');
  if (row.email && (!existing.email || normalizeEmail(existing.email) !== normalizeEmail(row.email))) differs('email', 'email');
  if (row.phone && (!existing.phone || !samePhone(row.phone, existing.phone))) differs('phone', 'phone');
  if (row.externalIds?.shopify && existing.externalIds?.shopify !== row.externalIds.shopify)
    differs('externalIds.shopify', 'shopify customer id');
  if (row.externalIds?.woocommerce && existing.externalIds?.woocommerce !== row.externalIds.woocommerce) {
    differs('externalIds.woocommerce', 'woocommerce customer id');
  }
  return out;
}

/**
 * Which rows are done when rows finish out of order (a pool of requests): all
 * rows below `watermark` are, so a resumed run starts there. Rows at or above
 * it that finished before an interruption are met again and found done by
 * their identity.
 */
export class RowWatermark {
  private readonly finished = new Set<number>();
  constructor(private next: number) {}

  get watermark(): number {
    return this.next;
  }

  finish(row: number): void {
    this.finished.add(row);
    while (this.finished.delete(this.next)) this.next++;
  }
}
