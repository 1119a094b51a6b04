/**
 * Staff search by name (GET /v1/members?name=) over the sparse name index,
 * written in the member's own transactions (docs/data-model.md).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';

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
    new QueryCommand({ TableName: club.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `NAME#${letters}` } }),
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
