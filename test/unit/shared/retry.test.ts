import { describe, expect, it } from 'vitest';
import { AGAIN, AGAIN_NOW, backoffMs, withRetries } from '../../../shared/retry';

const policy = { attempts: 4, baseMs: 10, capMs: 25 };

describe('the retry helper', () => {
  it('waits a random time up to base·2ⁿ⁻¹, never over the cap (full jitter)', () => {
    const almostOne = () => 0.999_999;
    // Ceilings by hand: 10, 20, then 40 and 80 capped at 25.
    expect([1, 2, 3, 4].map((n) => Math.ceil(backoffMs(policy, n, almostOne)))).toEqual([10, 20, 25, 25]);
    expect(backoffMs(policy, 3, () => 0)).toBe(0);
    expect(backoffMs(policy, 2, () => 0.5)).toBe(10);
  });

  it('stops after the attempts it is given and throws what the caller makes', async () => {
    let calls = 0;
    const err = await withRetries(
      policy,
      async () => (calls++, AGAIN),
      () => new Error('still busy'),
    ).catch((e: Error) => e);
    expect(err).toEqual(new Error('still busy'));
    expect(calls).toBe(4);
  });

  it('answers the first result that is not a retry, and AGAIN_NOW does not wait', async () => {
    const answers = [AGAIN_NOW, AGAIN_NOW, 'done'] as const;
    let n = 0;
    const started = performance.now();
    expect(
      await withRetries(
        { attempts: 3, baseMs: 10_000, capMs: 10_000 },
        async () => answers[n++]!,
        () => new Error('no'),
      ),
    ).toBe('done');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('gives up rather than wait into the reserve the invocation needs to answer', async () => {
    let left = 2_000;
    let calls = 0;
    const deadline = { remainingMs: () => left, reserveMs: 1_500 };
    const err = await withRetries(
      { attempts: 60, baseMs: 1, capMs: 1, deadline },
      async () => {
        calls++;
        left -= 400; // each attempt takes 400 ms
        return AGAIN;
      },
      () => new Error('out of time'),
    ).catch((e: Error) => e);
    expect(err).toEqual(new Error('out of time'));
    // 1600 ms left after the first attempt (a wait of ≤ 1 ms leaves more than 1500), 1200 after the second: stop.
    expect(calls).toBe(2);
  });
});
