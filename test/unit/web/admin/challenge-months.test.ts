import { describe, expect, it } from 'vitest';
import { challengesIn } from '../../../../web/admin/challenge-months';

const dated = { id: 'spring', period: { from: '2026-03-10', to: '2026-04-05' } };
const monthly = { id: 'monthly', period: { repeat: 'monthly' } };
const weekly = { id: 'weekly', period: { repeat: 'weekly' } };

describe('challengesIn (the campaign calendar)', () => {
  it('lists a dated challenge in the months its days meet, and a repeating one in every month', () => {
    const ids = (start: string, end: string) => challengesIn([dated, monthly, weekly], { start, end }).map((c) => c.id);
    expect(ids('2026-02-01', '2026-02-28')).toEqual(['monthly', 'weekly']);
    expect(ids('2026-03-01', '2026-03-31')).toEqual(['spring', 'monthly', 'weekly']);
    expect(ids('2026-04-01', '2026-04-30')).toEqual(['spring', 'monthly', 'weekly']);
    // Its first and last days count: a Jalali month ending on 10 March, one starting on 5 April.
    expect(ids('2026-02-20', '2026-03-10')).toContain('spring');
    expect(ids('2026-04-05', '2026-05-04')).toContain('spring');
    expect(ids('2026-04-06', '2026-05-05')).not.toContain('spring');
  });
});
