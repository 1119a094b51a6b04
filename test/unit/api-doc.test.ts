/**
 * docs/api.md is the public contract, so it must name every route the club
 * serves, and nothing in the repository may point outside it for the contract.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../functions/routes';

const root = resolve(__dirname, '../..');
const BINARY = /\.(png|jpe?g|gif|ico|webp|woff2?|ttf|zip|gz|jar)$/i;

function trackedTextFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\0').filter((f) => f && !BINARY.test(f) && existsSync(join(root, f)));
}

describe('docs/api.md', () => {
  it('documents every route in functions/routes.ts', () => {
    const doc = readFileSync(join(root, 'docs/api.md'), 'utf8');
    const missing = ROUTES.map(routeKey).filter((key) => !doc.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });

  it('is the only contract: no tracked file points outside the repository for it', () => {
    // Spelt in pieces so this file does not match itself.
    const outsideContract = 'contract' + '.md';
    const sharedDir = /(?:\.\.\/)+shared\//g;
    const offences: string[] = [];
    for (const file of trackedTextFiles()) {
      const text = readFileSync(join(root, file), 'utf8');
      if (text.includes(outsideContract)) offences.push(`${file}: ${outsideContract}`);
      // In-repo imports (functions/x.ts → ../shared/…) are fine; a path that climbs out of the repo is not.
      for (const m of text.matchAll(sharedDir)) {
        const target = resolve(root, dirname(file), m[0]);
        if (relative(root, target).startsWith('..')) offences.push(`${file}: ${m[0]}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
