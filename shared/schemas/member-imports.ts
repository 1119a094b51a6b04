import * as z from 'zod';
import { ExternalKey, MemberId } from './common';
import { EnrolMemberBody } from './members';

/** Rows one request takes: a batch the route finishes well inside the function's time (docs/cli.md). */
export const IMPORT_BATCH_ROWS = 200;

const OpeningPoints = z
  .int()
  .min(0)
  .max(999_999_999_999)
  .meta({ description: 'The opening balance: recorded as an adjustment "opening balance" (key opening-balance) in the ledger.' });

/** One customer: the enrolment's fields, the row's key and its opening balance. */
export const ImportMemberRow = EnrolMemberBody.extend({
  key: ExternalKey.meta({
    description:
      'The row\'s idempotency key, e.g. "<sha256 of the file>:<row>": the same key again answers the first result and adds nothing. ' +
      'A row without memberId gets one derived from it.',
  }),
  points: OpeningPoints.optional(),
}).meta({ id: 'ImportMemberRow' });

/** The envelope is checked first: a malformed one is a 400 and nothing is written; each row is then checked on its own. */
export const ImportMembersEnvelope = z.strictObject({
  rows: z
    .array(z.looseObject({ key: ExternalKey }))
    .min(1)
    .max(IMPORT_BATCH_ROWS, `at most ${IMPORT_BATCH_ROWS} rows a request; send the rest in further requests`),
  actor: z.string().min(1).max(128).optional(),
});

export const ImportMembersBody = z
  .strictObject({
    rows: z.array(ImportMemberRow).min(1).max(IMPORT_BATCH_ROWS),
    actor: z.string().min(1).max(128).optional().meta({ description: 'Who the opening-balance adjustments name (audit).' }),
  })
  .meta({
    id: 'ImportMembers',
    description: 'A row that fails its schema is answered failed (400 VALIDATION_FAILED) on its own; the other rows are imported.',
  });

const RowError = z.object({
  status: z.int().meta({ description: 'The status POST /v1/members (or the adjustment) would have answered for this row alone.' }),
  code: z.string(),
  message: z.string(),
  details: z.array(z.object({ path: z.string().optional(), message: z.string() })),
});

export const ImportRowResultView = z.object({
  key: z.string(),
  status: z.enum(['created', 'existing', 'failed', 'not-attempted']).meta({
    description:
      'created: enrolled now; existing: this key was imported before (its first result, nothing added); failed: refused, see error; ' +
      'not-attempted: the request ran out of time before this row, send it again.',
  }),
  memberId: MemberId.optional(),
  openingBalance: z
    .int()
    .optional()
    .meta({ description: 'The opening balance in the ledger (recorded now or before); absent with no points.' }),
  error: RowError.optional(),
});

export const ImportMembersView = z
  .object({
    results: z.array(ImportRowResultView).meta({ description: 'One per row, in the order sent.' }),
    notAttempted: z.int().meta({ description: 'Rows to send again (status not-attempted).' }),
  })
  .meta({ id: 'ImportMembersResult' });
