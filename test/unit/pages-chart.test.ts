import { describe, expect, it } from 'vitest';
import { chartGeometry, niceCeil, tickCount, tickValues, type ChartBox } from '../../web/common/chart';
import { bucketLabel, daysIn, fileNameFrom, formatRate, formatUsd, intervalFor, periodRange, ratio } from '../../web/common/report-format';

describe("the console's chart geometry", () => {
  it('rounds the top of the scale up to 1, 2, 2.5 or 5 × 10^k', () => {
    expect([0, -3, Number.NaN, 0.3, 1, 7, 11, 20, 21, 240, 251, 999, 1001].map(niceCeil)).toEqual([
      1, 1, 1, 0.5, 1, 10, 20, 20, 25, 250, 500, 1000, 2000,
    ]);
    expect(niceCeil(0.13)).toBe(0.2);
    expect(tickValues(25)).toEqual([0, 6.25, 12.5, 18.75, 25]);
    expect(tickValues(0.5)).toEqual([0, 0.125, 0.25, 0.375, 0.5]);
  });

  it('picks 4 or 5 nice steps, whole ones for counts', () => {
    expect([2500, 20, 500, 0.5, 1].map((m) => tickCount(m))).toEqual([5, 4, 5, 5, 4]);
    expect([10, 1, 2, 5, 250].map((m) => tickCount(m, true))).toEqual([5, 1, 2, 5, 5]);
    expect(tickValues(10, tickCount(10, true))).toEqual([0, 2, 4, 6, 8, 10]);
    expect(chartGeometry([{ name: 'active', values: [7] }], ['d'], undefined, 6, true).ticks.map((t) => t.value)).toEqual([
      0, 2, 4, 6, 8, 10,
    ]);
  });

  const box: ChartBox = { width: 110, height: 60, left: 10, right: 0, top: 0, bottom: 10 };

  it('places points left to right and scales values into the plot (y grows downwards)', () => {
    const g = chartGeometry(
      [
        { name: 'issued', values: [0, 10, 20] },
        { name: 'redeemed', values: [5, 0, 0] },
      ],
      ['a', 'b', 'c'],
      box,
    );
    expect(g.max).toBe(20);
    expect(g.lines[0]!.points).toBe('10,50 60,25 110,0');
    expect(g.lines[1]!.dots.map((d) => [d.x, d.y, d.value])).toEqual([
      [10, 37.5, 5],
      [60, 50, 0],
      [110, 50, 0],
    ]);
    expect(g.ticks.map((t) => [t.value, t.y])).toEqual([
      [0, 50],
      [5, 37.5],
      [10, 25],
      [15, 12.5],
      [20, 0],
    ]);
    expect(chartGeometry([{ name: 'x', values: [2400] }], ['a'], box).ticks.map((t) => t.value)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(g.xLabels).toEqual([
      { x: 10, text: 'a' },
      { x: 60, text: 'b' },
      { x: 110, text: 'c' },
    ]);
  });

  it('centres a single point, keeps an all-zero series on the baseline, and thins the labels', () => {
    const one = chartGeometry([{ name: 'x', values: [0] }], ['only'], box);
    expect(one.max).toBe(1);
    expect(one.lines[0]!.points).toBe('60,50');
    const many = chartGeometry(
      [{ name: 'x', values: Array.from({ length: 30 }, (_, i) => i) }],
      Array.from({ length: 30 }, (_, i) => `d${i}`),
      box,
      6,
    );
    expect(many.xLabels.map((l) => l.text)).toEqual(['d0', 'd5', 'd10', 'd15', 'd20', 'd25']);
    expect(many.lines[0]!.dots).toHaveLength(30);
  });
});

describe("the console's report formats", () => {
  it('turns a preset into a window ending today, with the interval that reads best', () => {
    expect(periodRange('30d', '2026-11-23')).toEqual({ from: '2026-10-25', to: '2026-11-23', interval: 'day' });
    expect(periodRange('90d', '2026-11-23')).toEqual({ from: '2026-08-26', to: '2026-11-23', interval: 'week' });
    expect(periodRange('12m', '2026-11-23')).toEqual({ from: '2025-12-01', to: '2026-11-23', interval: 'month' });
    expect(periodRange('12m', '2026-01-31')).toEqual({ from: '2025-02-01', to: '2026-01-31', interval: 'month' });
    expect(daysIn('2026-10-25', '2026-11-23')).toBe(30);
    expect(daysIn('2024-02-28', '2024-03-01')).toBe(3);
    expect([
      intervalFor('2026-01-01', '2026-03-03'),
      intervalFor('2026-01-01', '2026-03-04'),
      intervalFor('2026-01-01', '2026-12-31'),
    ]).toEqual(['day', 'week', 'month']);
  });

  it('labels buckets, rates, tiny dollar amounts, ratios and download names', () => {
    expect(bucketLabel('2026-11-23', 'day')).toBe('Nov 23');
    expect(bucketLabel('2026-11-01', 'month')).toBe('Nov 2026');
    expect([formatRate(0), formatRate(0.1234), formatRate(1)]).toEqual(['0.0%', '12.3%', '100.0%']);
    expect([formatUsd(null), formatUsd(0), formatUsd(1234.5), formatUsd(0.0123), formatUsd(0.00000321)]).toEqual([
      '—',
      '$0',
      '$1,234.50',
      '$0.0123',
      '$0.00000321',
    ]);
    expect([ratio('300.00', '20.00'), ratio('300.00', '0.00')]).toEqual([15, null]);
    expect(fileNameFrom('attachment; filename="loyalty-costs-2026-10-25-2026-11-23.csv"', 'x.csv')).toBe(
      'loyalty-costs-2026-10-25-2026-11-23.csv',
    );
    expect(fileNameFrom(null, 'x.csv')).toBe('x.csv');
  });
});
