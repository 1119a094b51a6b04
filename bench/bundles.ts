/** Each Lambda bundled the way the CDK stack bundles it, and its size. */
import { readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { buildPages } from '../web/pages';

export interface BundleSize {
  readonly fn: string;
  readonly bytes: number;
}

export async function measureBundles(functionsDir = 'functions'): Promise<BundleSize[]> {
  const entries = readdirSync(functionsDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'routes.ts');
  const sizes: BundleSize[] = [];
  for (const file of entries) {
    const out = await build({
      entryPoints: [`${functionsDir}/${file}`],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      minify: true,
      external: ['@aws-sdk/*'],
      logLevel: 'silent',
    });
    sizes.push({ fn: file.replace(/\.ts$/, ''), bytes: out.outputFiles.reduce((s, f) => s + f.contents.byteLength, 0) });
  }
  sizes.sort((a, b) => a.fn.localeCompare(b.fn));
  // The member page and the console's scripts (what a phone downloads; gzipped in the name).
  for (const page of (await buildPages()).sizes) {
    sizes.push({ fn: `page ${page.page} (${(page.gzipBytes / 1024).toFixed(1)} KB gzipped)`, bytes: page.bytes });
  }
  return sizes;
}
