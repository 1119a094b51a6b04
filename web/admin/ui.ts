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
