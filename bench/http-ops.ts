/**
 * What each API operation costs, measured through the real HTTP path against
 * DynamoDB Local: the capacity units DynamoDB reports (ReturnConsumedCapacity,
 * surfaced per request in x-loyalty-capacity), Lambda invocations, latency.
 */
import type { RunningClub } from '../local/club';

export interface OpFigures {
  readonly op: string;
  readonly requests: number;
  readonly rcuPerRequest: number;
  readonly wcuPerRequest: number;
  /** Of which on the table's items; the rest is index maintenance. */
  readonly wcuTablePerRequest: number;
  /** Write units as AWS bills them (2 per item-KB in a transaction), where DynamoDB Local reports its own. */
  readonly wruAwsPerRequest: number;
  readonly dynamoCallsPerRequest: number;
  /** One per API request: each route is one Lambda invocation. */
  readonly lambdaInvocationsPerRequest: number;
  readonly p50ms: number;
  readonly p99ms: number;
}

interface Sample {
  readonly rcu: number;
  readonly wcu: number;
  readonly wcuTable: number;
  readonly wruAws: number;
  readonly calls: number;
  readonly ms: number;
  readonly status: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function measureHttpOps(club: RunningClub, n: number): Promise<OpFigures[]> {
  const call = async (method: string, path: string, body?: unknown): Promise<Sample & { body: any }> => {
    const t = performance.now();
    const res = await fetch(club.url + path, {
      method,
      headers: { authorization: `Bearer ${club.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const ms = performance.now() - t;
    const cap = Object.fromEntries((res.headers.get('x-loyalty-capacity') ?? '').split(';').map((kv) => kv.split('=') as [string, string]));
    return {
      rcu: Number(cap.rcu ?? 0),
      wcu: Number(cap.wcu ?? 0),
      wcuTable: Number(cap.wcuTable ?? 0),
      wruAws: Number(cap.wruAws ?? cap.wcu ?? 0),
      calls: Number(cap.calls ?? 0),
      ms,
      status: res.status,
      body: text ? JSON.parse(text) : null,
    };
  };

  const samples = new Map<string, Sample[]>();
  const record = (op: string, s: Sample, expected: number) => {
    if (s.status !== expected) throw new Error(`${op}: expected ${expected}, got ${s.status}`);
    samples.set(op, [...(samples.get(op) ?? []), s]);
  };

  const run = Date.now().toString(36);
  for (let i = 0; i < n; i++) {
    const memberId = `bench-${run}-${i}`;
    record('enrol member', await call('POST', '/v1/members', { memberId, email: `${memberId}@example.com` }), 201);
    record(
      'earn (new order)',
      await call('POST', '/v1/earn', { memberId, orderId: `${memberId}-o1`, amount: '120.00', currency: 'USD' }),
      200,
    );
    record(
      'earn (duplicate)',
      await call('POST', '/v1/earn', { memberId, orderId: `${memberId}-o1`, amount: '120.00', currency: 'USD' }),
      200,
    );
    await call('POST', '/v1/earn', { memberId, orderId: `${memberId}-o2`, amount: '80.00', currency: 'USD' });
    record(
      'refund (partial)',
      await call('POST', '/v1/refunds', { memberId, orderId: `${memberId}-o1`, refundId: 'r1', amount: '20.00', currency: 'USD' }),
      200,
    );
    record('redeem', await call('POST', '/v1/redeem', { memberId, points: 50, idempotencyKey: `${memberId}-k1` }), 200);
    record('redeem (insufficient)', await call('POST', '/v1/redeem', { memberId, points: 10_000, idempotencyKey: `${memberId}-k2` }), 409);
    record('read member', await call('GET', `/v1/members/${memberId}`), 200);
    record('lookup by email', await call('GET', `/v1/members?email=${encodeURIComponent(`${memberId}@example.com`)}`), 200);
    record('ledger page', await call('GET', `/v1/members/${memberId}/ledger?limit=50`), 200);
  }

  return [...samples.entries()].map(([op, list]) => {
    const ms = list.map((s) => s.ms).sort((a, b) => a - b);
    const avg = (f: (s: Sample) => number) => Math.round((list.reduce((sum, s) => sum + f(s), 0) / list.length) * 100) / 100;
    return {
      op,
      requests: list.length,
      rcuPerRequest: avg((s) => s.rcu),
      wcuPerRequest: avg((s) => s.wcu),
      wcuTablePerRequest: avg((s) => s.wcuTable),
      wruAwsPerRequest: avg((s) => s.wruAws),
      dynamoCallsPerRequest: avg((s) => s.calls),
      lambdaInvocationsPerRequest: 1,
      p50ms: Math.round(percentile(ms, 50) * 10) / 10,
      p99ms: Math.round(percentile(ms, 99) * 10) / 10,
    };
  });
}
