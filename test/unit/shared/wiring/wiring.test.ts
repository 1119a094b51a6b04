import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../../../shared/config';
import { buildWiring, setWiring, wiring, withClubDeps } from '../../../../shared/wiring/index';

const saved = { table: process.env.TABLE_NAME, endpoint: process.env.DYNAMODB_ENDPOINT, trace: process.env._X_AMZN_TRACE_ID };
afterEach(() => {
  setWiring(undefined);
  for (const [k, v] of [
    ['TABLE_NAME', saved.table],
    ['DYNAMODB_ENDPOINT', saved.endpoint],
    ['_X_AMZN_TRACE_ID', saved.trace],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** The DynamoDB client a store was built on (each keeps it as `db`). */
const clientOf = (store: object) => (store as { db?: unknown }).db;

describe('the wiring', () => {
  it('builds every entry point on one DynamoDB client: the routes, the jobs, the webhook consumer and the notifier', () => {
    const w = buildWiring(readConfig({ TABLE_NAME: 'club', DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' }));
    const stores = [
      w.club.store,
      w.club.referrals,
      w.club.rewards,
      w.club.reports,
      w.jobs.automation,
      w.jobs.nameReindex,
      w.webhooks.deliveries,
      w.notifier.automation,
    ];
    for (const store of stores) expect(clientOf(store)).toBe(w.db);
    expect(w.webhooks.club).toBe(w.club);
    expect(w.jobs.store).toBe(w.club.store);
  });

  it('is built once for an environment, and again when the club it points at changes', () => {
    process.env.TABLE_NAME = 'club-a';
    process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:1';
    const first = wiring();
    expect(wiring()).toBe(first);
    process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:2';
    expect(wiring()).not.toBe(first);
    expect(wiring().config.dynamodbEndpoint).toBe('http://127.0.0.1:2');
  });

  it("is kept when only a variable it isn't built from changes: on Lambda, each invocation's trace id", () => {
    process.env.TABLE_NAME = 'club-a';
    process.env._X_AMZN_TRACE_ID = 'Root=1-00000000-000000000000000000000001;Sampled=0';
    const first = wiring();
    process.env._X_AMZN_TRACE_ID = 'Root=1-00000000-000000000000000000000002;Sampled=1';
    expect(wiring()).toBe(first);
    process.env.TABLE_NAME = 'club-b';
    expect(wiring().config.tableName).toBe('club-b');
    process.env.TABLE_NAME = 'club-a';
    expect(wiring().config.tableName).toBe('club-a');
  });

  it("a test's clock reaches the jobs, the webhook consumer and the notifier too", () => {
    process.env.TABLE_NAME = 'club-a';
    const at = new Date('2030-01-01T00:00:00Z');
    setWiring(withClubDeps(wiring(), { now: () => at }));
    const w = wiring();
    expect([w.club.now(), w.jobs.now(), w.webhooks.club.now(), w.notifier.now()]).toEqual([at, at, at, at]);
  });
});
