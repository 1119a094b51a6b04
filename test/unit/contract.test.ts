import { describe, expect, it } from 'vitest';
import { contractProblems } from '../support/contract';

const json = { 'content-type': 'application/json; charset=utf-8', 'x-loyalty-capacity': 'rcu=0' };
const page = { items: [], nextCursor: null };

describe("the integration tests' contract check", () => {
  it('passes an answer the document describes', () => {
    expect(
      contractProblems('GET', '/v1/members/m-1/ledger?limit=5', { status: 200, headers: json, text: JSON.stringify(page), body: page }),
    ).toEqual([]);
  });

  it('names a field the document does not have, a missing one, an undocumented status and a missing header', () => {
    const wrong = { items: [], cursor: null };
    expect(
      contractProblems('GET', '/v1/members/m-1/ledger', { status: 200, headers: json, text: JSON.stringify(wrong), body: wrong }).join(
        '\n',
      ),
    ).toMatch(/nextCursor[\s\S]*cursor/);
    expect(contractProblems('GET', '/v1/members/m-1/ledger', { status: 418, headers: json, text: '{}', body: {} })).toEqual([
      expect.stringContaining('status not documented'),
    ]);
    const error = { error: { code: 'THROTTLED', message: 'busy', details: [] } };
    expect(contractProblems('POST', '/v1/earn', { status: 503, headers: json, text: JSON.stringify(error), body: error })).toEqual([
      expect.stringContaining('header Retry-After missing'),
    ]);
  });

  it('refuses an error code the catalog does not have for that status', () => {
    const error = { error: { code: 'SOMETHING_ELSE', message: 'no', details: [] } };
    expect(contractProblems('POST', '/v1/earn', { status: 409, headers: json, text: JSON.stringify(error), body: error })).toEqual([
      expect.stringContaining('must be equal to one of the allowed values'),
    ]);
  });

  it('checks the CSV answers by their content type', () => {
    const csv = { 'content-type': 'text/csv; charset=utf-8', 'x-loyalty-capacity': 'rcu=0' };
    expect(
      contractProblems('GET', '/v1/reports/summary?format=csv', { status: 200, headers: csv, text: 'from,to\n', body: 'from,to\n' }),
    ).toEqual([]);
    expect(contractProblems('GET', '/v1/earn', { status: 405, headers: json, text: '', body: null })).toEqual([]);
    expect(contractProblems('GET', '/v1/members/m-1', { status: 200, headers: csv, text: 'x', body: 'x' })).toEqual([
      expect.stringContaining('content type "text/csv" not documented'),
    ]);
  });
});
