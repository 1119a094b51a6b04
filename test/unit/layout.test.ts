/** Where things live: one place for unit tests, so a reader finds them and the runner needs one pattern. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the repository layout', () => {
  it('keeps every test under test/ (unit tests in test/unit, mirroring the code they test)', () => {
    const files = execFileSync('git', ['ls-files', '*.test.ts'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.filter((f) => !f.startsWith('test/'))).toEqual([]);
  });
});
