/**
 * Staff search by name (GET /v1/members?name=) over the sparse name index,
 * written in the member's own transactions (docs/data-model.md).
 */
import { DeleteCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../shared/club/jobs';
import { importMembers } from '../../shared/club/member-import';
import { nameIndexEntries } from '../../shared/domain/names';
import { nameIndexKey } from '../../shared/store/keys';
import { DynamoNameReindexStore } from '../../shared/store/name-reindex';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { wiring } from '../../shared/wiring';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());

const enrol = async (body: Record<string, unknown>) => {
  const res = await club.api('POST', '/v1/members', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.memberId as string;
};
const search = async (name: string) => {
  const res = await club.api('GET', `/v1/members?name=${encodeURIComponent(name)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as { memberId: string; name: string }[]).map((m) => m.memberId);
};
/** Name index items in a partition (the first two normalized letters of a word). */
const indexItems = async (letters: string) => {
  const out = await club.client.send(
    new QueryCommand({
      TableName: club.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `NAME#${letters}` },
    }),
  );
  return out.Items ?? [];
};

describe('search by name', () => {
  let sara: string;
  let persian: string;
  let arabic: string;
  let other: string;

  beforeAll(async () => {
    sara = await enrol({ name: 'Sara Ahmadi', email: `${uniqueId('sara')}@example.com` });
    persian = await enrol({ name: 'سارا احمدی' });
    // Typed on an Arabic keyboard: ي and ك, and a half-space in the family name.
    arabic = await enrol({ name: 'علي كاظمي\u200Cنيا' });
    other = await enrol({ name: 'Sarah Karimi' });
  });

  it('finds a member by the start of any word of the name, in any case', async () => {
    expect(await search('sar')).toEqual(expect.arrayContaining([sara, other]));
    expect(await search('sar')).not.toContain(persian);
    expect(await search('AHM')).toEqual([sara]);
    expect(await search('karimi')).toEqual([other]);
    const res = await club.api('GET', '/v1/members?name=ahmadi');
    expect(res.body.items[0]).toMatchObject({ memberId: sara, name: 'Sara Ahmadi', balance: 0, tier: 'member' });
  });

  it('finds Persian names by either word', async () => {
    expect(await search('سار')).toEqual([persian]);
    expect(await search('احم')).toEqual([persian]);
  });

  it('finds a name typed with Arabic letters by its Persian spelling, and back', async () => {
    expect(await search('علی')).toEqual([arabic]);
    expect(await search('کاظمی')).toEqual([arabic]);
    expect(await search('كاظمينيا')).toEqual([arabic]);
    expect(await search('علي كا')).toEqual([arabic]);
  });

  it('matches a multi-word query on every word', async () => {
    expect(await search('sara ah')).toEqual([sara]);
    expect(await search('ah sara')).toEqual([sara]);
    expect(await search('sar kar')).toEqual([other]);
    expect(await search('sara zz')).toEqual([]);
    expect(await search('سارا اح')).toEqual([persian]);
  });

  it('answers nothing for a name nobody has', async () => {
    expect(await search('zzzz')).toEqual([]);
  });

  it('refuses a query of one letter, and a name search with another lookup', async () => {
    for (const q of ['name=s', 'name=%20a%20', `name=sa&email=${encodeURIComponent('a@b.co')}`]) {
      const res = await club.api('GET', `/v1/members?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
  });

  it('follows a rename: the old words are gone, the new ones found', async () => {
    const id = await enrol({ name: 'Parvaneh Rostami' });
    expect(await search('parv')).toEqual([id]);
    const before = (await indexItems('ro')).length;
    const patched = await club.api('PATCH', `/v1/members/${id}`, { name: 'Parvaneh Tehrani' });
    expect(patched.status).toBe(200);
    expect(await search('rostami')).toEqual([]);
    expect(await search('teh')).toEqual([id]);
    expect(await search('parvaneh teh')).toEqual([id]);
    expect(await search('parvaneh ros')).toEqual([]);
    expect((await indexItems('ro')).length).toBe(before - 1);
    // The kept word's item now says the new name.
    const kept = (await indexItems('pa')).filter((i) => i.memberId === id);
    expect(kept.map((i) => i.name)).toEqual(['Parvaneh Tehrani']);

    // Clearing the name removes every word; giving one back indexes it again.
    expect((await club.api('PATCH', `/v1/members/${id}`, { name: null })).status).toBe(200);
    expect(await search('parvaneh')).toEqual([]);
    expect((await indexItems('te')).filter((i) => i.memberId === id)).toEqual([]);
    expect((await club.api('PATCH', `/v1/members/${id}`, { name: 'Parvaneh' })).status).toBe(200);
    expect(await search('parvaneh')).toEqual([id]);
    // A profile edit that leaves the name alone touches no index item.
    expect((await club.api('PATCH', `/v1/members/${id}`, { channel: 'pos' })).status).toBe(200);
    expect(await search('parvaneh')).toEqual([id]);
  });

  it('writes no name items for an enrolment that is refused', async () => {
    const email = `${uniqueId('taken')}@example.com`;
    await enrol({ name: 'Qorban Vazvazi', email });
    const before = [(await indexItems('qo')).length, (await indexItems('va')).length];
    expect(before).toEqual([1, 1]);
    const refused = await club.api('POST', '/v1/members', { name: 'Qorbani Vaziri', email });
    expect(refused.status).toBe(409);
    const id = uniqueId('m');
    await enrol({ memberId: id, name: 'Other Person' });
    const again = await club.api('POST', '/v1/members', { memberId: id, name: 'Qorbanali Valizadeh' });
    expect(again.status).toBe(409);
    expect([(await indexItems('qo')).length, (await indexItems('va')).length]).toEqual(before);
    expect(await search('qorbani')).toEqual([]);
  });

  it('gives one answer for a member with two words alike, and at most 20', async () => {
    const twice = await enrol({ name: 'Mina Minaei' });
    expect(await search('min')).toEqual([twice]);
    await Promise.all(Array.from({ length: 23 }, (_, i) => enrol({ name: `Nima Test${i}` })));
    expect((await search('nima')).length).toBe(20);
    expect(await search('nima test7')).toHaveLength(1);
  });
});

/**
 * Enrols in this process through the bulk import's use case (what POST /v1/admin/imports/members runs:
 * each member's name index items in its enrolment's transaction, several members a transaction):
 * hundreds in a few requests to DynamoDB Local instead of one each.
 */
const enrolMany = async (names: readonly string[]): Promise<string[]> => {
  const deps = wiring().club;
  const ids = names.map(() => uniqueId('n'));
  const rows = names.map((name, i) => ({ key: ids[i]!, memberId: ids[i]!, name }));
  const batches = Array.from({ length: Math.ceil(rows.length / 200) }, (_, b) => rows.slice(b * 200, b * 200 + 200));
  const results = (
    await Promise.all(batches.map((batch) => importMembers(deps, batch, { actor: 'test', concurrency: 4, shouldStop: () => false })))
  ).flat();
  expect(results.filter((r) => r.status !== 'created')).toEqual([]);
  return ids;
};

interface Page {
  readonly ids: string[];
  readonly nextCursor: string | null;
  readonly rcu: number;
}
const searchPage = async (name: string, cursor?: string): Promise<Page> => {
  const res = await club.api('GET', `/v1/members?name=${encodeURIComponent(name)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toHaveProperty('nextCursor');
  const rcu = Number(/rcu=([\d.]+)/.exec(res.headers['x-loyalty-capacity'] ?? '')?.[1]);
  return { ids: (res.body.items as { memberId: string }[]).map((m) => m.memberId), nextCursor: res.body.nextCursor, rcu };
};
/** Every page of a search, following nextCursor. */
const allPages = async (name: string): Promise<Page[]> => {
  const pages = [await searchPage(name)];
  while (pages.at(-1)!.nextCursor) {
    pages.push(await searchPage(name, pages.at(-1)!.nextCursor!));
    expect(pages.length).toBeLessThan(200);
  }
  return pages;
};
const persianNumber = (n: number) => String(n).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);

describe('a given name thousands share (more than a request reads)', () => {
  const SHARED = 600;
  let target: string;
  let namesakes: string[];
  let doubles: string[];

  beforeAll(async () => {
    const t0 = performance.now();
    // "محمد احمدی۱…" all sort before "محمد رضایی" in the محمد prefix.
    namesakes = await enrolMany(Array.from({ length: SHARED }, (_, i) => `محمد احمدی${persianNumber(i)}`));
    // Two words starting with the same prefix: two index items each, one answer.
    doubles = await enrolMany(Array.from({ length: 30 }, (_, i) => `محمد محمدی${persianNumber(i)}`));
    target = (await enrolMany(['محمد رضایی']))[0]!;
    console.info(
      `name search: enrolled ${SHARED + 31} members in ${Math.round(performance.now() - t0)} ms (in process, by the bulk import)`,
    );
  }, 120_000);

  it('finds the family name at once: the query keys on its narrowest word, not the shared given name', async () => {
    const page = await searchPage('محمد رضایی');
    expect(page.ids).toEqual([target]);
    expect(page.nextCursor).toBeNull();
    // Typed on an Arabic keyboard, words in either order.
    expect((await searchPage('رضايي محمد')).ids).toEqual([target]);
    expect(page.rcu).toBeLessThan(5);
    console.info(`name search: "محمد رضایی" among ${SHARED + 31} محمد: one page, ${page.rcu} RCU`);
  });

  it('reaches a match past the read budget through the cursor', async () => {
    // "رض" is shorter than "محمد", so the given name is the key: 631 items, the match after 600 of them.
    const pages = await allPages('محمد رض');
    expect(pages[0]!.ids).toEqual([]);
    expect(pages[0]!.nextCursor).toEqual(expect.any(String));
    expect(pages.flatMap((p) => p.ids)).toEqual([target]);
    expect(pages.length).toBe(2);
    console.info(`name search: "محمد رض" pages RCU ${pages.map((p) => p.rcu).join(', ')}`);
  });

  it('pages through every member with the name exactly once, at most 20 a page', async () => {
    const t0 = performance.now();
    const pages = await allPages('محمد');
    const ms = performance.now() - t0;
    const ids = pages.flatMap((p) => p.ids);
    for (const p of pages) expect(p.ids.length).toBeLessThanOrEqual(20);
    expect(pages.slice(0, -1).every((p) => p.ids.length === 20)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set([...namesakes, ...doubles, target]));
    // A narrower query pages the same way: the 30 doubles, once each.
    const narrow = (await allPages('محمد محمدی')).flatMap((p) => p.ids);
    expect(narrow.sort()).toEqual([...doubles].sort());
    const rcus = pages.map((p) => p.rcu);
    console.info(
      `name search: "محمد" ${ids.length} members in ${pages.length} pages, ${Math.round(ms)} ms; RCU per page min ${Math.min(...rcus)} max ${Math.max(...rcus)}`,
    );
  });

  it('refuses a tampered cursor, or one from another search, in the contract error shape', async () => {
    const first = await searchPage('محمد');
    const cursor = first.nextCursor!;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const moved = Buffer.from(JSON.stringify({ ...decoded, s: `${decoded.s.slice(0, -3)}zzz` })).toString('base64url');
    const elsewhere = Buffer.from(JSON.stringify({ ...decoded, s: 'sara ahmadi#x' })).toString('base64url');
    for (const [name, bad] of [
      ['محمد', `${cursor.slice(0, -2)}AA`],
      ['محمد', moved],
      ['محمد', elsewhere],
      ['محمد', 'not-a-cursor'],
      ['محمد اح', cursor], // another query with the same key word
    ] as const) {
      const res = await club.api('GET', `/v1/members?name=${encodeURIComponent(name)}&cursor=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_CURSOR', message: expect.any(String) });
      expect(res.body.error.details).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    }
    // A cursor belongs to a name search only.
    const noName = await club.api('GET', `/v1/members?email=a%40b.co&cursor=${encodeURIComponent(cursor)}`);
    expect(noName.status).toBe(400);
    expect(noName.body.error.code).toBe('VALIDATION_FAILED');
    // The same query spelled another way is the same search: its cursor goes on.
    expect((await searchPage(' مُحمد ', cursor)).ids).toHaveLength(20);
  });
});

describe('reindex-names: the backfill of members without index items', () => {
  /** Deletes a member's name index items, as if it had been enrolled before the index existed. */
  const unindex = async (memberId: string, name: string, only?: string) => {
    for (const entry of nameIndexEntries(name)) {
      if (only && entry.word !== only) continue;
      await club.client.send(new DeleteCommand({ TableName: club.tableName, Key: nameIndexKey(entry, memberId) }));
    }
  };
  const runOnce = async (body: Record<string, unknown>) => {
    const res = await club.api('POST', '/v1/admin/jobs/reindex-names/run', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  // As the CLI does: a run that its time budget stopped (a busy machine, a big directory) is continued
  // with the run's asOf until complete; the totals are the run's.
  const runReindex = async (body: Record<string, unknown> = {}) => {
    let run = await runOnce(body);
    const totals = { ...run };
    while (!run.complete) {
      run = await runOnce({ asOf: run.asOf, continuation: run.continuation });
      for (const k of ['examined', 'processed', 'itemsPut', 'failed', 'renamedMeanwhile'] as const)
        totals[k] = (totals[k] ?? 0) + (run[k] ?? 0);
      totals.complete = run.complete;
    }
    return totals;
  };

  it('indexes the members who have no (or some missing) items, and a second run changes nothing', async () => {
    // Whatever earlier tests left is current; start from a clean run.
    await runReindex();
    const names = Array.from({ length: 12 }, (_, i) => `Kourosh Bakhtiari${i}`);
    const ids = await enrolMany(names);
    for (const [i, id] of ids.entries()) await unindex(id, names[i]!, i === 0 ? 'kourosh' : undefined);
    expect(await search('bakhtiari1')).toEqual([]);
    // The first lost only its "kourosh" item: found by the other word, not by that one.
    expect(await search('bakhtiari0')).toEqual([ids[0]]);
    expect(await search('kourosh')).toEqual([]);
    const t0 = performance.now();
    const first = await runReindex();
    const ms = performance.now() - t0;
    expect(first).toMatchObject({ job: 'reindex-names', complete: true, processed: 12, itemsPut: 23, failed: 0 });
    expect(first.examined).toBeGreaterThanOrEqual(12);
    expect(await search('kourosh')).toHaveLength(12);
    expect(await search('bakhtiari1')).toHaveLength(3); // 1, 10, 11
    const second = await runReindex();
    expect(second).toMatchObject({ complete: true, processed: 0, itemsPut: 0, examined: first.examined });
    console.info(`reindex-names: ${first.examined} members (12 unindexed) in ${Math.round(ms)} ms`);
  });

  it('stops with a continuation and resumes there, on any clock', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `Parisa Farahani${i}`);
    const ids = await enrolMany(names);
    for (const [i, id] of ids.entries()) await unindex(id, names[i]!);
    expect(await search('farahani')).toEqual([]);
    const deps = wiring().jobs;
    let pages = 0;
    const stopped = await runJob(deps, 'reindex-names', { asOf: new Date(), pageSize: 50, shouldStop: () => pages++ >= 3 });
    expect(stopped).toMatchObject({ complete: false, continuation: expect.any(String) });
    const resumed = await runReindex({ asOf: '2030-01-01T00:00:00Z', continuation: stopped.continuation });
    expect(resumed.complete).toBe(true);
    // Together they went over the directory once and indexed every member once.
    expect(stopped.processed + (resumed.processed as number)).toBe(40);
    expect((stopped.itemsPut as number) + (resumed.itemsPut as number)).toBe(80);
    expect((await runReindex()).processed).toBe(0);
    expect(await search('parisa farahani')).toHaveLength(20);
    expect((await allPages('farahani')).flatMap((p) => p.ids).sort()).toEqual([...ids].sort());
    const bad = await club.api('POST', '/v1/admin/jobs/reindex-names/run', { continuation: 'nonsense' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_CONTINUATION');
  });

  it('does not put an old name back for a member renamed meanwhile', async () => {
    const [id] = await enrolMany(['Golnaz Sadeghi']);
    await unindex(id!, 'Golnaz Sadeghi');
    // The rename commits between the job's read of the name and its write.
    const { db } = wiring();
    let renamed = false;
    const racingDb = {
      async send(command: unknown) {
        if (command instanceof TransactWriteCommand && !renamed) {
          renamed = true;
          expect((await club.api('PATCH', `/v1/members/${id}`, { name: 'Golnaz Tavakoli' })).status).toBe(200);
        }
        return db.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const deps = wiring().jobs;
    const done = await runJob({ ...deps, nameReindex: new DynamoNameReindexStore(racingDb, club.tableName) }, 'reindex-names', {
      asOf: new Date(),
    });
    expect(renamed).toBe(true);
    expect(done).toMatchObject({ complete: true, processed: 0, renamedMeanwhile: 1, failed: 0 });
    expect(await search('sadeghi')).toEqual([]);
    expect(await search('golnaz tav')).toEqual([id]);
  });
});
