/** Just enough DOM building for two small pages: no framework. */
import { fileNameFrom } from './report-format';

export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | ((e: Event) => void) | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'className') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    if (typeof c === 'object') el.append(c);
    else el.append(...isolated(String(c)));
  }
  return el;
}

/**
 * Text with isolate marks (format.ts `isolate`) as nodes: each isolated run
 * becomes a <bdi>, so a Persian name in an English sentence (or the reverse)
 * keeps its order, and every word list can mark names without building DOM.
 */
function isolated(text: string): (Node | string)[] {
  if (!text.includes('\u2068')) return [text];
  return text
    .split(/\u2068([^\u2069]*)\u2069/)
    .flatMap((part, i): (Node | string)[] => (i % 2 ? [h('bdi', {}, part)] : part ? [part] : []));
}

export function mount(root: HTMLElement, ...children: Node[]): void {
  root.replaceChildren(...children);
}

export interface ApiResult<T = any> {
  readonly status: number;
  readonly body: T;
}

/** Same-origin API call with a bearer token; never throws for an HTTP status. */
export async function call<T = any>(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResult<T>> {
  const res = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed as T };
}

export function newKey(): string {
  return crypto.randomUUID();
}

/**
 * Downloads a CSV the API answers for a bearer token: fetched (a plain link
 * cannot send the Authorization header) and saved through a Blob link under the
 * server's file name. Resolves to an error text, or undefined when saved.
 */
export async function downloadCsv(token: string, path: string, fallbackName: string): Promise<string | undefined> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    return body?.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`;
  }
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: fileNameFrom(res.headers.get('content-disposition'), fallbackName) });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return undefined;
}
