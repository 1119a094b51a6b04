/// <reference lib="dom" />
/** Inline SVG line charts for the Reports tab (geometry in web/common/chart.ts): no chart library. */
import { h } from '../common/dom';
import { chartGeometry, DEFAULT_BOX, type ChartBox, type LineInput } from '../common/chart';

const SVG = 'http://www.w3.org/2000/svg';
/** A generous width of an 11 px digit or letter, for the room labels need. */
const CHAR = 7;
const COLORS = ['#243b6b', '#1b7a3a', '#b3261e', '#b26a00'];

function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/**
 * A titled line chart with a legend; each point carries data-value (and a tooltip) for tests and people.
 * `key` and each line's `name` are stable (data-chart, data-series); `title` and `label` are the words shown.
 */
export function lineChart(
  key: string,
  title: string,
  lines: readonly (LineInput & { label: string })[],
  labels: readonly string[],
  format: (n: number) => string,
  integers = false,
): HTMLElement {
  // On a phone a narrower drawing, so its 11 px labels stay about 11 px once scaled to the screen.
  const narrow = matchMedia('(max-width:640px)').matches;
  let box: ChartBox = narrow ? { ...DEFAULT_BOX, width: 360, height: 200 } : DEFAULT_BOX;
  const most = narrow ? 4 : 6;
  let g = chartGeometry(lines, labels, box, most, integers);
  // Room on the left for the longest value label ("500,000" keeps all its digits).
  const left = Math.max(...g.ticks.map((t) => format(t.value).length)) * CHAR + 10;
  if (left > box.left) g = chartGeometry(lines, labels, (box = { ...box, left }), most, integers);
  const svg = s(
    'svg',
    // Left to right in Persian too: the value labels' anchors are meant for the left edge.
    { viewBox: `0 0 ${box.width} ${box.height}`, role: 'img', 'aria-label': title, class: 'chart', direction: 'ltr' },
    ...g.ticks.flatMap((t) => [
      s('line', { x1: box.left, x2: box.width - box.right, y1: t.y, y2: t.y, stroke: '#e5e7ee' }),
      s('text', { x: box.left - 6, y: t.y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#687082' }, format(t.value)),
    ]),
    // A label that would pass the right edge ends there instead.
    ...g.xLabels.map((l) =>
      s(
        'text',
        {
          x: l.x,
          y: box.height - 6,
          'text-anchor': l.x + (l.text.length * CHAR) / 2 > box.width ? 'end' : 'middle',
          'font-size': 11,
          fill: '#687082',
        },
        l.text,
      ),
    ),
    ...g.lines.map((l, i) =>
      s(
        'g',
        { 'data-series': l.name, stroke: COLORS[i % COLORS.length]!, fill: COLORS[i % COLORS.length]! },
        s('polyline', { points: l.points, fill: 'none', 'stroke-width': 2 }),
        ...l.dots.map((d, j) =>
          s('circle', { cx: d.x, cy: d.y, r: 2.5, 'data-value': d.value }, s('title', {}, `${labels[j] ?? ''}: ${format(d.value)}`)),
        ),
      ),
    ),
  );
  const legend = h(
    'p',
    { className: 'legend' },
    lines.map((l, i) => h('span', { style: `color:${COLORS[i % COLORS.length]}` }, `● ${l.label} `)),
  );
  return h('figure', { className: 'chart-box', 'data-chart': key }, h('figcaption', {}, title), svg, lines.length > 1 ? legend : null);
}
