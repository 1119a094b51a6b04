/** `npm run bench -- --readme`: the latest figures into README.md, between the bench markers. */
import { readFileSync, writeFileSync } from 'node:fs';

export function markdownTable(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const line = (cells: unknown[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(cols), line(cols.map(() => '---')), ...rows.map((r) => line(cols.map((c) => r[c])))].join('\n');
}

export function writeReadmeSection(sections: readonly string[], file = 'README.md'): void {
  const text = readFileSync(file, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file} has no ${start} … ${end} section`);
  writeFileSync(file, `${text.slice(0, i + start.length)}\n${sections.join('\n\n')}\n${text.slice(j)}`);
}
