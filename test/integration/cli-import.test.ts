/**
 * The staff CLI against the real club: a 500-row import with 1% bad rows (each
 * of the five kinds of mistake once), in batches of 50,
 * killed (SIGKILL) and interrupted (Ctrl-C) midway and resumed, adds every good
 * row once and reports every bad one once; the export gives the members back.
 * The 50,000-row run is in `npm run bench` (bench/import.ts).
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliOptions, type StopWhen } from '../support/cli';
import { startTestClub, type TestClub } from '../support/club';
import { writeMemberCsv } from '../support/member-csv';

let club: TestClub;
const dir = mkdtempSync(join(tmpdir(), 'loyalty-cli-'));

beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());

const cli = (args: string[], until?: StopWhen, options?: CliOptions) => runCli(club, args, until, options);

const readCsv = (path: string) => parse(readFileSync(path, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];

describe('loyalty import members', () => {
  it('imports every good row once across a kill and a Ctrl-C, and reports every bad row once', async () => {
    const file = join(dir, 'customers.csv');
    const csv = writeMemberCsv(file, 500, 'imp');
    const stateFile = `${file}.import-state.json`;

    // Batches of 50 (the default is 100): a kill and a Ctrl-C midway with half the rows to send.
    const batches = ['--batch-size', '50'];
    // Killed with up to 6 batches of 50 rows in flight: the club may hold rows past the checkpoint.
    // The interrupted runs start from the TypeScript sources through tsx, as `npm run loyalty` does
    // (the other runs start the same sources bundled, which is quicker to start: test/support/cli.ts).
    const killed = await cli(
      ['import', 'members', file, ...batches, '--concurrency', '6'],
      { stateFile, nextRowAtLeast: 100, signal: 'SIGKILL' },
      { viaTsx: true },
    );
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(afterKill.complete).toBe(false);

    // One batch in flight (the local default), so the Ctrl-C lands after its first batch, well before the
    // end: rows the killed run already imported go fast, and with 6 in flight the run could finish first.
    const stopped = await cli(
      ['import', 'members', file, ...batches],
      {
        stateFile,
        nextRowAtLeast: afterKill.nextRow + 50,
        signal: 'SIGINT',
      },
      { viaTsx: true },
    );
    expect(stopped.code, stopped.stderr + stopped.stdout).toBe(130);
    expect(stopped.stderr).toContain(`Resuming at row ${afterKill.nextRow}`);
    expect(stopped.stdout).toContain('run the same command again to resume');

    const finished = await cli(['import', 'members', file, ...batches, '--concurrency', '6']);
    // 2: done, but some rows were rejected.
    expect(finished.code, finished.stderr).toBe(2);
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(state).toMatchObject({ complete: true, nextRow: 502, rows: 500 });
    expect(state.counts.created + state.counts.existing).toBe(500 - csv.bad.size);
    expect(state.counts.failed).toBe(csv.bad.size);
    expect(state.counts.openingBalances).toBe(csv.withPoints);

    // Every bad row once, at the column at fault, with a reason.
    const errors = readCsv(`${file}.errors.csv`);
    const byRow = new Map<number, Record<string, string>[]>();
    for (const e of errors) byRow.set(Number(e.row), [...(byRow.get(Number(e.row)) ?? []), e]);
    expect([...byRow.keys()].sort((a, b) => a - b)).toEqual([...csv.bad.keys()].sort((a, b) => a - b));
    for (const [row, column] of csv.bad) {
      expect(
        byRow.get(row)!.map((e) => e.column),
        `row ${row}`,
      ).toContain(column);
      expect(byRow.get(row)!.every((e) => Boolean(e.message && e.code))).toBe(true);
    }
    const taken = errors.find((e) => e.code === 'ALREADY_EXISTS');
    expect(taken?.message).toMatch(/already held by member .+, who has another phone/);

    // The club holds each good row's member once, with its opening balance once.
    const out = join(dir, 'members.csv');
    const exported = await cli(['export', 'members', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const members = readCsv(out);
    expect(members).toHaveLength(500 - csv.bad.size);
    expect(new Set(members.map((m) => m.email)).size).toBe(members.length);
    expect(members.reduce((sum, m) => sum + Number(m.balance), 0)).toBe(csv.points);
    const ada = members.find((m) => m.email === 'imp4@example.com')!;
    expect(ada).toMatchObject({
      name: 'Ada 4 Lovelace',
      phone: '+989120000004',
      shopifyCustomerId: 'imp-shop-4',
      channel: 'import',
      balance: '14',
    });

    // A fifth run has nothing to do.
    const again = await cli(['import', 'members', file]);
    expect(again.stderr).toContain('nothing to do');
    expect(again.code).toBe(2);
  }, 240_000);

  it('adds nothing twice even without the checkpoint (--restart): the identities decide', async () => {
    const file = join(dir, 'small.csv');
    const csv = writeMemberCsv(file, 100, 'rst', '98913');
    const first = await cli(['import', 'members', file]);
    expect(first.code, first.stderr).toBe(2);
    expect(first.stdout).toContain(`${100 - csv.bad.size} created, 0 already members, ${csv.bad.size} rejected`);

    const again = await cli(['import', 'members', file, '--restart']);
    expect(again.code, again.stderr).toBe(2);
    expect(again.stdout).toContain(
      `0 created, ${100 - csv.bad.size} already members, ${csv.bad.size} rejected, ${csv.withPoints} opening balances`,
    );

    const ledger = join(dir, 'ledger.csv');
    const exported = await cli(['export', 'ledger', ledger]);
    expect(exported.code, exported.stderr).toBe(0);
    const membersFile = join(dir, 'members-rst.csv');
    expect((await cli(['export', 'members', membersFile])).code).toBe(0);
    const mine = new Set(
      readCsv(membersFile)
        .filter((m) => m.email?.startsWith('rst'))
        .map((m) => m.memberId),
    );
    expect(mine.size).toBe(100 - csv.bad.size);
    // One opening balance per member that had one, across both runs: no more, no fewer.
    const openings = readCsv(ledger).filter((e) => mine.has(e.memberId!) && e.type === 'adjust');
    expect(openings.every((e) => e.reason === 'opening balance' && e.actor === 'loyalty import')).toBe(true);
    expect(openings).toHaveLength(csv.withPoints);
    expect(new Set(openings.map((e) => e.memberId)).size).toBe(csv.withPoints);
    expect(openings.reduce((sum, e) => sum + Number(e.points), 0)).toBe(csv.points);
  }, 120_000);

  it('takes Jalali birthdays and says of each rejected row which column, what was wrong and the form expected', async () => {
    const file = join(dir, 'persian.csv');
    writeFileSync(
      file,
      `${[
        'email,mobile,birthday',
        'jalali@example.com,+98 912 700 0001,۱۳۷۰/۰۵/۱۲',
        'ascii@example.com,,1370-05-12',
        'esfand@example.com,,1401/12/30',
        // A national number in a club with no phone region (USD): the club's answer names the column.
        'national@example.com,0912 700 0004,1991-08-03',
      ].join('\n')}\n`,
    );
    const run = await cli(['import', 'members', file]);
    // 2: some rows were rejected.
    expect(run.code, run.stderr).toBe(2);
    for (const email of ['jalali@example.com', 'ascii@example.com']) {
      const found = (await club.api('GET', `/v1/members?email=${email}`)).body.items[0];
      expect(found, email).toMatchObject({ birthday: '1991-08-03' });
    }
    expect((await club.api('GET', '/v1/members?email=jalali@example.com')).body.items[0].phone).toBe('+989127000001');
    const errors = readCsv(`${file}.errors.csv`);
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      ['4', 'birthday', 'VALIDATION_FAILED'],
      ['5', 'mobile', 'VALIDATION_FAILED'],
    ]);
    expect(errors[0]!.message).toMatch(/^"1401\/12\/30": Jalali 1401\/12 has 29 days, not 30; expected .*۱۳۷۰\/۰۵\/۱۲/);
    expect(errors[1]!.message).toMatch(/without its country code; expected .*\+98 912 123 4567/);
  }, 60_000);

  it('refuses a bad token before touching any row, and names the fix', async () => {
    const file = join(dir, 'tiny.csv');
    writeMemberCsv(file, 3, 'tok', '98914');
    const { code, stderr } = await runCli({ url: club.url, token: 'wrong' }, ['import', 'members', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/401 UNAUTHORIZED.*--token/);
    expect(existsSync(`${file}.import-state.json`)).toBe(true);
    expect(JSON.parse(readFileSync(`${file}.import-state.json`, 'utf8')).nextRow).toBe(2);
  }, 60_000);
});
