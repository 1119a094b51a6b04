/**
 * Every cursor the API decodes, fed anything: it is either a position whose
 * every key value DynamoDB accepts, or a 400 INVALID_CURSOR; never another
 * throw, and never a key DynamoDB would refuse (its 400 would be our 500).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../shared/domain/errors';
import { nameQueryPlan } from '../../../../shared/domain/names';
import { decodeStartKey } from '../../../../shared/store/automation-store';
import { decodeDeliveryCursor } from '../../../../shared/store/delivery-store';
import { decodeLedgerCursor } from '../../../../shared/store/dynamo-club-store';
import { isKeyValue } from '../../../../shared/store/keys';
import { decodeDirectoryCursor } from '../../../../shared/store/member-directory';
import { decodeNameCursor, encodeNameCursor } from '../../../../shared/store/name-search';

const plan = nameQueryPlan('sara')!;

/** Hand-written: a key value DynamoDB accepts (non-empty, within its byte limits). */
const acceptable = (v: unknown, max: number) => typeof v === 'string' && v.length > 0 && Buffer.byteLength(v) <= max;

const DECODERS: Record<string, (cursor: string) => Record<string, unknown>> = {
  ledger: (c) => decodeLedgerCursor('m1', c),
  deliveries: (c) => decodeDeliveryCursor('failed', c),
  'members list': (c) => ({ ...decodeDirectoryCursor(c) }),
  'name search': (c) => ({ sk: decodeNameCursor(plan, c) }),
  'job index page': (c) => decodeStartKey(c) ?? {},
};

const tricky = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    'x'.repeat(1025),
    'é'.repeat(600),
    'p'.repeat(2049),
    '\ud800',
    'LEDGER#0000000001',
    'DELIVERY#',
    'DELIVERY#x',
    'MEMBER#m1',
    'm1',
    'sara',
  ),
  fc.integer(),
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
);
const fields = ['m', 's', 'k', 'p', 'd', 'a', 'c', 'pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi3sk'];
/** Cursors shaped like ours with any field forged, and plain garbage. */
const cursors = fc.oneof(
  fc.string(),
  fc.base64String(),
  fc.dictionary(fc.constantFrom(...fields), tricky).map((o) => Buffer.from(JSON.stringify(o)).toString('base64url')),
  fc.json().map((j) => Buffer.from(j).toString('base64url')),
);

describe('cursor decoders', () => {
  for (const [name, decode] of Object.entries(DECODERS)) {
    it(`${name}: any string is a valid position or INVALID_CURSOR`, () => {
      fc.assert(
        fc.property(cursors, (cursor) => {
          let out: Record<string, unknown>;
          try {
            out = decode(cursor);
          } catch (err) {
            expect(err).toBeInstanceOf(DomainError);
            expect(err).toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
            return;
          }
          for (const [field, value] of Object.entries(out)) {
            if (value === undefined || typeof value === 'number') continue;
            expect(acceptable(value, field.endsWith('pk') ? 2048 : 1024), `${field}=${JSON.stringify(value)?.slice(0, 40)}`).toBe(true);
          }
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('still take back the cursors the club hands out', () => {
    const ledger = Buffer.from(JSON.stringify({ m: 'm1', s: 'LEDGER#0000000007', k: 'EARN', p: 'ORDER#o7' })).toString('base64url');
    expect(decodeLedgerCursor('m1', ledger)).toEqual({ gsi1pk: 'MEMBER#m1', gsi1sk: 'LEDGER#0000000007', pk: 'ORDER#o7', sk: 'EARN' });
    expect(decodeDirectoryCursor(Buffer.from(JSON.stringify({ d: 3, a: 'm9' })).toString('base64url'))).toEqual({ shard: 3, after: 'm9' });
    expect(decodeNameCursor(plan, encodeNameCursor(plan, `${plan.key}#m1`))).toBe(`${plan.key}#m1`);
    const page = { pk: 'MEMBER#m1', sk: 'MEMBER', gsi2pk: 'EXPIRY#2026-05', gsi2sk: '2026-05-31T23:59:59.999Z#m1' };
    expect(decodeStartKey(Buffer.from(JSON.stringify(page)).toString('base64url'))).toEqual(page);
    expect(isKeyValue('x'.repeat(1024), 'sort')).toBe(true);
    expect(isKeyValue('x'.repeat(1025), 'sort')).toBe(false);
  });
});
