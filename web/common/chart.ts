/**
 * The geometry of the console's small line charts: a "nice" top of the scale,
 * its ticks, and where each point and label goes. Pure (no DOM), unit-tested in
 * test/unit/pages-chart.test.ts; web/admin/charts.ts draws it as inline SVG.
 */

export interface ChartBox {
  readonly width: number;
  readonly height: number;
  /** Room for the value labels on the left and the bucket labels below. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export const DEFAULT_BOX: ChartBox = { width: 520, height: 180, left: 48, right: 12, top: 10, bottom: 24 };

export interface LineInput {
  readonly name: string;
  readonly values: readonly number[];
}

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  readonly value: number;
}

export interface ChartGeometry {
  /** The top of the scale (a nice number ≥ the largest value; 1 when everything is 0). */
  readonly max: number;
  readonly ticks: readonly { value: number; y: number }[];
  readonly lines: readonly { name: string; points: string; dots: readonly ChartPoint[] }[];
  /** At most `maxLabels` bucket labels, evenly spread, always including the first. */
  readonly xLabels: readonly { x: number; text: string }[];
}

/** The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ n (1 for n ≤ 0, so an empty chart still has a scale). */
export function niceCeil(n: number): number {
  if (!(n > 0) || !Number.isFinite(n)) return 1;
  const exp = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 2.5, 5, 10]) {
    // Rounding guards against 0.1 + 0.2 style error in step × exp.
    const candidate = Number((step * exp).toPrecision(12));
    if (candidate >= n) return candidate;
  }
  return 10 * exp;
}

/** 0 … max in `count` equal steps (max itself included). */
export function tickValues(max: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, i) => Number(((max * i) / count).toPrecision(12)));
}

const isNice = (step: number) => niceCeil(step) === Number(step.toPrecision(12));

/**
 * How many steps the scale gets: 4 or 5 whose step is itself nice (2,500 → 500s,
 * 20 → 5s), whole numbers when the values are counts (10 → 2s, never 2.5s).
 */
export function tickCount(max: number, integers = false): number {
  for (const count of [4, 5, 2, 1]) {
    const step = max / count;
    if (isNice(step) && (!integers || Number.isInteger(step))) return count;
  }
  return 4;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** `integers`: the values are counts, so the scale's ticks are whole numbers. */
export function chartGeometry(
  lines: readonly LineInput[],
  labels: readonly string[],
  box: ChartBox = DEFAULT_BOX,
  maxLabels = 6,
  integers = false,
): ChartGeometry {
  const n = Math.max(labels.length, ...lines.map((l) => l.values.length));
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const largest = Math.max(0, ...lines.flatMap((l) => l.values.filter((v) => Number.isFinite(v))));
  const max = niceCeil(largest);
  const xAt = (i: number) => round1(n <= 1 ? box.left + plotW / 2 : box.left + (plotW * i) / (n - 1));
  const yAt = (v: number) => round1(box.top + plotH - (plotH * Math.max(0, Math.min(v, max))) / max);
  const every = Math.max(1, Math.ceil(n / maxLabels));
  return {
    max,
    ticks: tickValues(max, tickCount(max, integers)).map((value) => ({ value, y: yAt(value) })),
    lines: lines.map((l) => {
      const dots = l.values.map((v, i) => ({ x: xAt(i), y: yAt(Number.isFinite(v) ? v : 0), value: v }));
      return { name: l.name, points: dots.map((d) => `${d.x},${d.y}`).join(' '), dots };
    }),
    xLabels: labels.flatMap((text, i) => (i % every === 0 ? [{ x: xAt(i), text }] : [])),
  };
}
