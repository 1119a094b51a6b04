/// <reference lib="dom" />
/** Small pieces every console view uses: an API error as text, a status message. */
import { h, type ApiResult } from '../common/dom';

export function errorText(res: ApiResult): string {
  const e = res.body?.error;
  if (!e) return `HTTP ${res.status}`;
  const details = (e.details ?? []).map((d: any) => `${d.path}: ${d.message}`).join('; ');
  return `${e.code}: ${e.message}${details ? ` (${details})` : ''}`;
}

export const message = (text: string, kind: 'error' | 'notice' = 'notice') => h('p', { className: `msg ${kind}`, role: 'status' }, text);

/**
 * A table that becomes a list of cards on a phone (CSS in web/pages.ts): each
 * cell carries its column's heading, shown beside the value when the heading row is hidden.
 */
export function cards<T extends HTMLTableElement>(table: T): T {
  const head = [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
  for (const row of table.querySelectorAll('tbody tr'))
    for (const [i, td] of [...(row as HTMLTableRowElement).cells].entries()) td.setAttribute('data-label', head[i] ?? '');
  table.classList.add('cards');
  return table;
}
