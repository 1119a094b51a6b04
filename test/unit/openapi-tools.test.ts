/**
 * docs/openapi.json as the tools a client developer reaches for see it: Redocly's
 * linter (recommended rules) finds nothing, and openapi-typescript generates types
 * that a call to every route type-checks against (test/fixtures/openapi-client).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const bin = (path: string) => join(root, 'node_modules', path);
const quiet = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
const dir = mkdtempSync(join(tmpdir(), 'openapi-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each tool is a node process of a few seconds; a busy 2-core machine can make that more than Vitest's default 5 s.
describe('docs/openapi.json in client tooling', { timeout: 30_000 }, () => {
  it('passes redocly lint with the recommended rules, without a warning', async () => {
    const out = await run(
      process.execPath,
      [bin('@redocly/cli/bin/cli.js'), 'lint', 'docs/openapi.json', '--config', 'redocly.yaml', '--format', 'json'],
      {
        cwd: root,
        env: quiet,
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((err: { stdout: string }) => err);
    const report = JSON.parse(out.stdout) as { problems: { ruleId: string; message: string; location: { pointer?: string }[] }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('generates (openapi-typescript) a client whose calls to every route type-check', async () => {
    await run(
      process.execPath,
      [bin('openapi-typescript/bin/cli.js'), join(root, 'docs/openapi.json'), '--output', join(dir, 'schema.d.ts')],
      { env: quiet },
    );
    const calls = join(root, 'test/fixtures/openapi-client/calls.ts');
    copyFileSync(calls, join(dir, 'calls.ts'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'es2022',
          module: 'preserve',
          moduleResolution: 'bundler',
          skipLibCheck: true,
          types: [],
        },
        files: ['calls.ts'],
      }),
    );
    const checked = await run(process.execPath, [bin('typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir }).catch(
      (err: { stdout: string }) => err,
    );
    expect(checked.stdout).toBe('');
    // Every route has its call (the @ts-expect-error lines in there prove the types are not `any`).
    const text = readFileSync(calls, 'utf8');
    expect(ROUTES.filter((r) => !text.includes(`'${r.method.toLowerCase()}', '${r.path.replace('+}', '}')}'`)).map((r) => r.key)).toEqual(
      [],
    );
  });
});
