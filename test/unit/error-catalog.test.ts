/**
 * The error catalog is the one place a code's status is decided: docs/api.md's
 * table must state every code with that status, and no other file may pass a
 * status of its own when it refuses.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError, ERROR_CATALOG, PARK_REASONS, type ErrorCode } from '../../shared/domain/errors';
import { toErrorResponse } from '../../shared/http/errors';

const root = resolve(__dirname, '../..');

/** docs/api.md's "## Errors" table as code → the statuses its rows give it. */
function documentedStatuses(): Map<string, number[]> {
  const doc = readFileSync(join(root, 'docs/api.md'), 'utf8');
  const section = doc.slice(doc.indexOf('\n## Errors\n'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| --- |')));
  const found = new Map<string, number[]>();
  for (const row of table.split('\n')) {
    const cells = row.split('|').map((c) => c.trim());
    const status = Number(cells[1]);
    if (!Number.isInteger(status)) continue;
    for (const [, code] of (cells[2] ?? '').matchAll(/`([A-Z_]+)`/g)) found.set(code!, [...(found.get(code!) ?? []), status]);
  }
  return found;
}

describe('the error catalog', () => {
  it('is stated in docs/api.md: every code once, with its status, and no code the catalog lacks', () => {
    const documented = documentedStatuses();
    const wrong = Object.entries(ERROR_CATALOG)
      .filter(([code, entry]) => JSON.stringify(documented.get(code)) !== JSON.stringify([entry.status]))
      .map(([code, entry]) => `${code}: catalog ${entry.status}, docs ${JSON.stringify(documented.get(code) ?? [])}`);
    expect(wrong).toEqual([]);
    expect([...documented.keys()].filter((code) => !(code in ERROR_CATALOG))).toEqual([]);
  });

  it('names every reason a webhook delivery is parked for in docs/api.md', () => {
    const doc = readFileSync(join(root, 'docs/api.md'), 'utf8');
    expect(Object.keys(PARK_REASONS).filter((reason) => !doc.includes(`\`${reason}\``))).toEqual([]);
  });

  it('decides the status: a refusal names only its code', () => {
    expect(new DomainError('REWARD_NOT_AVAILABLE', 'for gold members')).toMatchObject({ status: 422 });
    expect(new DomainError('ALREADY_IN_TIER', 'already gold')).toMatchObject({ status: 409 });
    expect(new DomainError('PAYLOAD_TOO_LARGE', 'too big')).toMatchObject({ status: 413 });
    const busy = toErrorResponse(new DomainError('CONCURRENT_UPDATE', 'busy')).response;
    expect(busy).toMatchObject({ statusCode: 503, headers: { 'retry-after': '1' } });
    const throttled = toErrorResponse(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })).response;
    expect(throttled).toMatchObject({ statusCode: 503, headers: { 'retry-after': '1' } });
    expect(JSON.parse(throttled.body!).error.code).toBe('THROTTLED' satisfies ErrorCode);
  });

  it('is the only place a status is chosen: no source file passes one when it refuses', () => {
    const files = execFileSync('git', ['ls-files', '-z', '*.ts'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f && f !== 'shared/domain/errors.ts' && existsSync(join(root, f)));
    // A status literal as any argument of the constructor or of an error-answer helper.
    const choosesStatus = /\b(?:new DomainError|errorResponse|sendError)\((?:[^()]|\([^()]*\))*?\b[1-5]\d\d\b\s*[,)]/g;
    const offences = files.flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(choosesStatus)].map((m) => `${file}: ${m[0].replace(/\s+/g, ' ')}`),
    );
    expect(offences).toEqual([]);
  });
});
