import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../../shared/http/route-table';
import { routeTable } from '../../../../shared/http/route-handler';
import { requiredRole } from '../../../../shared/http/staff';

describe('the route registry', () => {
  it('gives every bearer route a role, and no other route one', () => {
    expect(ROUTES.filter((r) => (r.auth === 'token') !== (r.role !== undefined)).map((r) => r.key)).toEqual([]);
  });

  it('is where the role check reads the role', () => {
    expect(requiredRole('POST /v1/admin/program/simulate')).toBe('viewer');
    expect(requiredRole('POST /v1/admin/program/release-pending')).toBe('admin');
    // A key the club does not serve needs the most, never the least.
    expect(requiredRole('POST /v1/not-a-route')).toBe('admin');
  });

  it('is the only place a route is declared: a handler for an unregistered route does not start', () => {
    expect(() => routeTable({ 'GET /v1/unlisted': async () => ({ statusCode: 200 }) } as never)).toThrow(/not in the route registry/);
  });
});
