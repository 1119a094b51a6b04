/** The member page and the console from the local server, built once per process in memory (web/pages.ts). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readAccessConfig } from '../shared/config';
import { buildPages, pageFor, pageHeaders, type BuiltPages } from '../web/pages';

let built: Promise<BuiltPages> | undefined;

export function isPagePath(path: string): boolean {
  return /^\/(club|admin)(\/|$)/.test(path);
}

/** Answers a GET/HEAD under /club or /admin. */
export async function servePage(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  built ??= buildPages();
  built.catch(() => (built = undefined));
  const file = pageFor((await built).files, path);
  if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(file ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8', ...(file && { allow: 'GET, HEAD' }) });
    res.end(file ? 'Method not allowed' : 'Not found');
    return;
  }
  res.writeHead(200, {
    ...pageHeaders(path, readAccessConfig().frameAncestors),
    'content-type': file.contentType,
    'content-length': file.body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
