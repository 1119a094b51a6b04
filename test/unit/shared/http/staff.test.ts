import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../../functions/routes';
import { readAccessConfig, readConfig } from '../../../../shared/config';
import { routeTable } from '../../../../shared/http/route-handler';
import { actorHeader, actorOf, allows, authorize, requiredRole, roleFromGroups, staffPrincipal } from '../../../../shared/http/staff';

const config = readConfig({ TABLE_NAME: 't', LOYALTY_STAGE: 'test', LOYALTY_API_TOKEN: 'main-token' });

describe('staff roles', () => {
  it('viewers read, operators change members, admins change the program and run jobs', () => {
    expect(requiredRole('GET /v1/members/{memberId}')).toBe('viewer');
    expect(requiredRole('POST /v1/admin/program/simulate')).toBe('viewer');
    expect(requiredRole('POST /v1/members/{memberId}/adjustments')).toBe('operator');
    expect(requiredRole('POST /v1/admin/deliveries/{id}/replay')).toBe('operator');
    expect(requiredRole('POST /v1/redeem')).toBe('operator');
    expect(requiredRole('PUT /v1/admin/program')).toBe('admin');
    expect(requiredRole('POST /v1/admin/program/launch')).toBe('admin');
    expect(requiredRole('POST /v1/admin/jobs/{job}/run')).toBe('admin');
    expect(allows('viewer', 'POST /v1/members/{memberId}/adjustments')).toBe(false);
    expect(allows('operator', 'POST /v1/members/{memberId}/adjustments')).toBe(true);
    expect(allows('operator', 'PUT /v1/admin/program')).toBe(false);
    expect(allows('admin', 'PUT /v1/admin/program')).toBe(true);
  });

  it('a viewer may read every report (summary, series, costs): the console Reports and Costs tabs', () => {
    const reports = ROUTES.filter((r) => r.path.startsWith('/v1/reports/')).map((r) => `${r.method} ${r.path}`);
    expect(reports).toEqual(['GET /v1/reports/summary', 'GET /v1/reports/series', 'GET /v1/reports/costs']);
    for (const route of reports) expect(allows('viewer', route), route).toBe(true);
  });

  it('a Cognito user gets the highest role among their groups', () => {
    expect(roleFromGroups(['viewer', 'admin', 'other'])).toBe('admin');
    expect(roleFromGroups(['operator'])).toBe('operator');
    expect(roleFromGroups(['marketing'])).toBeUndefined();
  });

  it('the API token is full admin; staff tokens carry their name and role', async () => {
    const access = readAccessConfig({ STAFF_TOKENS: 'sara:operator:tok-s, omid:viewer:tok:with:colons' });
    expect(await staffPrincipal('Bearer main-token', config, access)).toMatchObject({ role: 'admin', via: 'api-token' });
    expect(await staffPrincipal('Bearer tok-s', config, access)).toEqual({ actor: 'sara', role: 'operator', via: 'staff-token' });
    expect(await staffPrincipal('bearer tok:with:colons', config, access)).toMatchObject({ actor: 'omid', role: 'viewer' });
    await expect(staffPrincipal('Bearer nope', config, access)).rejects.toMatchObject({ status: 401 });
    await expect(staffPrincipal(undefined, config, access)).rejects.toMatchObject({ status: 401 });
    expect(() => authorize({ actor: 'omid', role: 'viewer', via: 'staff-token' }, 'POST /v1/members/{memberId}/adjustments')).toThrow(
      expect.objectContaining({ status: 403, code: 'FORBIDDEN' }),
    );
  });

  it('a signed-in person is always the actor; the API token may name one', () => {
    expect(actorOf({ actor: 'sara', role: 'operator', via: 'staff-token' }, 'someone-else')).toBe('sara');
    expect(actorOf({ actor: 'api', role: 'admin', via: 'api-token' }, 'store-backend')).toBe('store-backend');
  });

  it('names the variable and the entry, never the token, when STAFF_TOKENS is malformed', () => {
    expect(() => readAccessConfig({ STAFF_TOKENS: 'sara:superuser:abc' })).toThrow('STAFF_TOKENS: entry 1 ("sara")');
    let message = '';
    try {
      readAccessConfig({ STAFF_TOKENS: 'omid:viewer:ok, s3cret-pasted-alone' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^STAFF_TOKENS: entry 2 /);
    expect(message).not.toContain('s3cret');
  });

  it('a Lambda with a malformed STAFF_TOKENS fails as it starts, not with a 500 on every call', () => {
    const saved = { fn: process.env.AWS_LAMBDA_FUNCTION_NAME, staff: process.env.STAFF_TOKENS };
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'loyalty-members';
    process.env.STAFF_TOKENS = 'sara:superuser:abc';
    try {
      expect(() => routeTable({})).toThrow(/STAFF_TOKENS/);
      process.env.STAFF_TOKENS = 'sara:admin:abc';
      expect(() => routeTable({})).not.toThrow();
    } finally {
      for (const [k, v] of [
        ['AWS_LAMBDA_FUNCTION_NAME', saved.fn],
        ['STAFF_TOKENS', saved.staff],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('refuses a malformed STAFF_TOKENS entry instead of guessing', () => {
    expect(() => readAccessConfig({ STAFF_TOKENS: 'sara:boss:tok' })).toThrow(/STAFF_TOKENS/);
    expect(readAccessConfig({}).portalTtlSeconds).toBe(1800);
    expect(readAccessConfig({ LOYALTY_PORTAL_TTL_MINUTES: '5' }).portalTtlSeconds).toBe(300);
  });
});

describe('the X-Loyalty-Actor header', () => {
  it('is percent-decoded as UTF-8, so a Persian name is kept as written', () => {
    expect(actorHeader({ 'x-loyalty-actor': '%D9%85%D8%B3%D8%B1%D9%88%D8%B1' })).toBe('مسرور');
    expect(actorHeader({ 'x-loyalty-actor': 'maryam' })).toBe('maryam');
    expect(actorHeader({ 'x-loyalty-actor': 'Sara%20K.' })).toBe('Sara K.');
    expect(actorHeader({})).toBeUndefined();
  });

  it('recovers raw UTF-8 bytes that Node read as Latin-1', () => {
    // «مسرور» sent unencoded: each UTF-8 byte arrives as one Latin-1 character.
    const asLatin1 = Buffer.from('مسرور', 'utf8').toString('latin1');
    expect(asLatin1).not.toBe('مسرور');
    expect(actorHeader({ 'x-loyalty-actor': asLatin1 })).toBe('مسرور');
  });

  it('refuses, naming the header, bytes that are not UTF-8 and broken percent-encoding', () => {
    for (const bad of ['Jos\u00e9', '%D9%8', '%E0%A4%A']) {
      let thrown: unknown;
      try {
        actorHeader({ 'x-loyalty-actor': bad });
      } catch (e) {
        thrown = e;
      }
      expect(thrown, bad).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, details: [{ path: 'X-Loyalty-Actor' }] });
    }
  });
});
