import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPages, pageFor } from '../../web/pages';

describe('the pages build', () => {
  it('is small: the member page under 32 KB raw and 10 KB gzipped (a phone on a slow line), the bilingual console under 48 KB and 16 KB, the Program tab chunk (the editor, the campaign calendar and the pilot, loaded when the tab opens) under 32 KB and 12 KB, the Reports and Costs chunk under 24 KB and 8 KB, the profile and messages chunk (loaded after the page) under 16 KB and 6 KB, the challenges chunk (loaded only for a member who has one) under 6 KB and 3 KB', async () => {
    const built = await buildPages();
    expect(built.sizes.map((s) => s.page)).toEqual([
      '/admin/admin.js',
      '/admin/program-editor.js',
      '/admin/reports.js',
      '/club/challenges.js',
      '/club/club.js',
      '/club/profile.js',
    ]);
    const budget: Record<string, [number, number]> = {
      '/club/club.js': [32, 10],
      '/admin/admin.js': [48, 16],
      '/admin/program-editor.js': [32, 12],
      '/admin/reports.js': [24, 8],
      '/club/profile.js': [16, 6],
      '/club/challenges.js': [6, 3],
    };
    for (const s of built.sizes) {
      expect(s.bytes, s.page).toBeLessThan(budget[s.page]![0] * 1024);
      expect(s.gzipBytes, s.page).toBeLessThan(budget[s.page]![1] * 1024);
    }
    // Persian letters ship as UTF-8, not as \u escapes three times their size.
    expect(built.files.get('/club/club.js')!.body.toString()).toContain('امتیاز');
    // The member page is a module too; its profile and messages are a chunk, with their words (not in the start).
    expect(pageFor(built.files, '/club')?.body.toString()).toContain('<script type="module" src="/club/club.js" defer>');
    const clubScripts = [...built.files.keys()].filter((p) => p.startsWith('/club/') && p.endsWith('.js'));
    const profileChunk = clubScripts.find((p) => p.startsWith('/club/profile-'));
    expect(built.files.get(profileChunk!)!.body.toString()).toContain('پروفایل خود را کامل کنید');
    for (const p of clubScripts.filter((p) => p !== profileChunk))
      expect(built.files.get(p)!.body.toString(), p).not.toContain('پروفایل خود را کامل کنید');
    // The challenges card and its words are their own chunk: the start carries neither.
    const challengesChunk = clubScripts.find((p) => p.startsWith('/club/challenges-'));
    expect(built.files.get(challengesChunk!)!.body.toString()).toContain('روز مانده');
    for (const p of clubScripts.filter((p) => p !== challengesChunk))
      expect(built.files.get(p)!.body.toString(), p).not.toContain('روز مانده');
    expect(pageFor(built.files, '/admin/')?.contentType).toMatch(/^text\/html/);
    // The console is a module; the editor and the reports are chunks of it, loaded when their tab opens
    // (what the start shares with them is one common chunk, counted in the start's budget).
    expect(pageFor(built.files, '/admin')?.body.toString()).toContain('<script type="module" src="/admin/admin.js" defer>');
    expect(
      [...built.files.keys()]
        .filter((p) => p.startsWith('/admin/') && p.endsWith('.js'))
        .map((p) => p.replace(/-[A-Z0-9]{8}\.js$/, '.js'))
        .sort(),
    ).toEqual(['/admin/admin.js', '/admin/chunk.js', '/admin/program-editor.js', '/admin/reports.js']);
    expect(pageFor(built.files, '/club/nope.js')).toBeUndefined();
  });

  it('type-checks the browser code against the DOM (web/tsconfig.json)', () => {
    const tsc = join(process.cwd(), 'node_modules', '.bin', 'tsc');
    expect(() => execFileSync(tsc, ['--noEmit', '-p', 'web/tsconfig.json'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);
});
