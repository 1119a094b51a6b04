import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPages, pageFor } from '../../web/pages';

describe('the pages build', () => {
  it('is small: the member page under 32 KB raw and 10 KB gzipped (a phone on a slow line), the bilingual console under 48 KB and 16 KB', async () => {
    const built = await buildPages();
    expect(built.sizes.map((s) => s.page)).toEqual(['/admin/admin.js', '/club/club.js']);
    const budget: Record<string, [number, number]> = { '/club/club.js': [32, 10], '/admin/admin.js': [48, 16] };
    for (const s of built.sizes) {
      expect(s.bytes, s.page).toBeLessThan(budget[s.page]![0] * 1024);
      expect(s.gzipBytes, s.page).toBeLessThan(budget[s.page]![1] * 1024);
    }
    // Persian letters ship as UTF-8, not as \u escapes three times their size.
    expect(built.files.get('/club/club.js')!.body.toString()).toContain('امتیاز');
    expect(pageFor(built.files, '/club')?.body.toString()).toContain('<script src="/club/club.js" defer>');
    expect(pageFor(built.files, '/admin/')?.contentType).toMatch(/^text\/html/);
    expect(pageFor(built.files, '/club/nope.js')).toBeUndefined();
  });

  it('type-checks the browser code against the DOM (web/tsconfig.json)', () => {
    const tsc = join(process.cwd(), 'node_modules', '.bin', 'tsc');
    expect(() => execFileSync(tsc, ['--noEmit', '-p', 'web/tsconfig.json'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);
});
