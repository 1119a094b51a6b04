/**
 * Contention on one member (issue #15): N redemptions of 1 point sent at once to
 * `POST /v1/redeem` for one member who holds N points, so every one can succeed.
 * Each redemption retries its conflicts within the request's budget; what the
 * store's backend sees is counted by status: 200, 503 `CONCURRENT_UPDATE` (with
 * Retry-After: nothing spent, send again) and any other 5xx (a fault). The balance
 * after is checked against the 200s. `npm run bench -- --only contention`.
 */
import type { RunningClub } from '../local/club';
import { clubPost } from './club-post';

export interface ContentionFigures {
  readonly redemptions: number;
  readonly ok: number;
  readonly busy503: number;
  readonly other5xx: number;
  readonly otherStatuses: number;
  readonly balanceAfter: number;
  readonly p50ms: number;
  readonly maxMs: number;
}

const percentile = (xs: readonly number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

export async function measureContention(club: RunningClub, redemptions: number): Promise<ContentionFigures> {
  const post = clubPost(club);
  const memberId = `busy-${Date.now().toString(36)}`;
  await post('/v1/members', { memberId }, 201);
  // An order that pays at least N points (the default program: a point a unit).
  const filled = await fetch(`${club.url}/v1/earn`, {
    method: 'POST',
    headers: { authorization: `Bearer ${club.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ memberId, orderId: `${memberId}-fill`, amount: `${redemptions}.00`, currency: 'USD' }),
  });
  const { balance } = (await filled.json()) as { balance: number };
  if (balance < redemptions) throw new Error(`the order paid ${balance} points, fewer than ${redemptions}`);
  const answers = await Promise.all(
    Array.from({ length: redemptions }, async (_, i) => {
      const started = performance.now();
      const res = await fetch(`${club.url}/v1/redeem`, {
        method: 'POST',
        headers: { authorization: `Bearer ${club.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ memberId, points: 1, idempotencyKey: `${memberId}-${i}` }),
      });
      await res.text();
      return { status: res.status, ms: performance.now() - started };
    }),
  );
  const member = (await (
    await fetch(`${club.url}/v1/members/${memberId}`, { headers: { authorization: `Bearer ${club.token}` } })
  ).json()) as { balance: number };
  const ok = answers.filter((a) => a.status === 200).length;
  if (member.balance !== balance - ok) throw new Error(`balance ${member.balance} after ${ok} redemptions of ${balance} points`);
  const ms = answers.map((a) => a.ms);
  return {
    redemptions,
    ok,
    busy503: answers.filter((a) => a.status === 503).length,
    other5xx: answers.filter((a) => a.status >= 500 && a.status !== 503).length,
    otherStatuses: answers.filter((a) => a.status < 500 && a.status !== 200).length,
    balanceAfter: member.balance,
    p50ms: Math.round(percentile(ms, 0.5)),
    maxMs: Math.round(Math.max(...ms)),
  };
}
