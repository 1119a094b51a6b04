/**
 * The member page and the staff console, built with esbuild from web/*: one
 * HTML shell and one script each. The local server serves them from memory at
 * /club and /admin; the CDK stack deploys the same files to S3 behind CloudFront.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build, buildSync, type BuildOptions, type OutputFile } from 'esbuild';
import { CSS } from './styles';
import { frameAncestors, memberPageFraming } from '../shared/portal/proxy-page';

export interface PageFile {
  readonly body: Buffer;
  readonly contentType: string;
}

const WEB_DIR = fileURLToPath(new URL('.', import.meta.url));

function shell(title: string, script: string, wide: boolean, module = false): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title}</title><style>${CSS}${wide ? '#app{max-width:1100px}' : ''}</style></head>
<body><div id="app"></div><script${module ? ' type="module"' : ''} src="${script}" defer></script></body></html>
`;
}

export interface BuiltPages {
  /** By path: /club/index.html, /club/club.js, /admin/index.html, /admin/admin.js and the console's chunks */
  readonly files: ReadonlyMap<string, PageFile>;
  /**
   * Script sizes, raw and gzipped (what a phone downloads): the member page; the
   * console as it starts (admin.js with the chunks it imports); the program editor,
   * fetched only when the Program tab opens.
   */
  readonly sizes: readonly { page: string; bytes: number; gzipBytes: number }[];
}

const COMMON: BuildOptions = {
  bundle: true,
  write: false,
  minify: true,
  target: ['es2020'],
  outdir: '/',
  logLevel: 'silent',
  legalComments: 'none',
  // Persian words as UTF-8 (2 bytes a letter), not \u escapes (6 bytes): the HTML and the server both say utf-8.
  charset: 'utf8',
};

/**
 * The member page is an ES module too: the member's profile and messages (their forms,
 * the birthday picker and their words) are a chunk imported after the page shows, so
 * the first download stays small.
 */
const CLUB: BuildOptions = {
  ...COMMON,
  entryPoints: { 'club/club': `${WEB_DIR}club/main.ts` },
  format: 'esm',
  splitting: true,
  chunkNames: 'club/[name]-[hash]',
};

/**
 * The console is an ES module split in chunks: the program editor (its forms and
 * their words in both languages) is imported only when the Program tab opens, so
 * the console starts as small as before it had one.
 */
const ADMIN: BuildOptions = {
  ...COMMON,
  entryPoints: { 'admin/admin': `${WEB_DIR}admin/main.ts` },
  format: 'esm',
  splitting: true,
  chunkNames: 'admin/[name]-[hash]',
};

/** Which budget a script counts against (docs/pages.md). */
function pageOf(path: string): string {
  if (path.startsWith('/admin/program-editor-')) return '/admin/program-editor.js';
  if (path.startsWith('/admin/reports-')) return '/admin/reports.js';
  if (path.startsWith('/club/profile-')) return '/club/profile.js';
  if (path.startsWith('/club/challenges-')) return '/club/challenges.js';
  if (path.startsWith('/club/')) return '/club/club.js';
  if (path.startsWith('/admin/')) return '/admin/admin.js';
  return path;
}

function collect(outputFiles: readonly OutputFile[]): BuiltPages {
  const files = new Map<string, PageFile>();
  const groups = new Map<string, Buffer[]>();
  for (const f of outputFiles) {
    const path = f.path.replace(/^.*?\/(club|admin)\//, '/$1/');
    const body = Buffer.from(f.contents);
    files.set(path, { body, contentType: 'text/javascript; charset=utf-8' });
    groups.set(pageOf(path), [...(groups.get(pageOf(path)) ?? []), body]);
  }
  const sizes = [...groups].map(([page, bodies]) => ({
    page,
    bytes: bodies.reduce((n, b) => n + b.length, 0),
    gzipBytes: bodies.reduce((n, b) => n + gzipSync(b).length, 0),
  }));
  files.set('/club/index.html', {
    body: Buffer.from(shell('Club', '/club/club.js', false, true)),
    contentType: 'text/html; charset=utf-8',
  });
  files.set('/admin/index.html', {
    body: Buffer.from(shell('Loyalty club console', '/admin/admin.js', true, true)),
    contentType: 'text/html; charset=utf-8',
  });
  return { files, sizes: sizes.sort((a, b) => a.page.localeCompare(b.page)) };
}

export async function buildPages(): Promise<BuiltPages> {
  const [club, admin] = await Promise.all([build(CLUB), build(ADMIN)]);
  return collect([...(club.outputFiles ?? []), ...(admin.outputFiles ?? [])]);
}

/** The same build, written to a directory (the CDK stack's S3 deployment; synth is synchronous). */
export function writePages(outDir: string): BuiltPages {
  const built = collect([...(buildSync(CLUB).outputFiles ?? []), ...(buildSync(ADMIN).outputFiles ?? [])]);
  for (const [path, file] of built.files) {
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.body);
  }
  return built;
}

/** The file a request path names: /club and /club/ are the page; anything else under it must exist. */
export function pageFor(files: ReadonlyMap<string, PageFile>, path: string): PageFile | undefined {
  const m = /^\/(club|admin)\/?$/.exec(path);
  return files.get(m ? `/${m[1]}/index.html` : path);
}

/** The pages' CSP but for frame-ancestors: scripts from here only, the API and Cognito to talk to. */
export const PAGE_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' https://*.amazoncognito.com; base-uri 'none'";

/**
 * Headers every page answer carries: no referrer (the token is in the fragment anyway),
 * scripts from here only, and framed by nobody, except that the member page may be
 * framed by the shop's own origins (PORTAL_FRAME_ANCESTORS). The console never is.
 */
export function pageHeaders(path: string, frameAncestorOrigins: readonly string[]): Record<string, string> {
  const origins = /^\/club(\/|$)/.test(path) ? frameAncestorOrigins : [];
  return {
    'content-security-policy': `${PAGE_CSP}; ${frameAncestors(origins)}`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    ...memberPageFraming(origins),
    'cache-control': 'no-cache',
  };
}
