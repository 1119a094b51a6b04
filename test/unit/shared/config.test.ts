import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readConfig, readLocalConfig, readWebhookConfig } from '../../../shared/config';

/** Files that may touch process.env besides shared/config.ts, and why. */
const ALLOWED: Record<string, string> = {
  'local/handler-env.ts': 'the local runtime sets the variables its handlers read, as the CDK stack does on AWS',
  'local/main.ts': "quiets the AWS SDK's Node-version notice before the SDK loads (a variable of the SDK's, not the club's)",
  'cli/main.ts': "quiets the AWS SDK's Node-version notice before the SDK loads (a variable of the SDK's, not the club's)",
  'cli/config.ts': "the CLI's own settings (which club to call, with which token): a client of the club, not the club",
  'bench/main.ts': "the benchmark's own knobs (BENCH_*) and the SDK's notice",
  'bench/jobs-scale.ts': "the benchmark's own knobs (BENCH_*) and the SDK's notice",
  'scripts/dynamodb-local-writes.ts': "the measurement's own knob (JAVA_OPTS for the DynamoDB Local it starts)",
  'bench/webhooks.ts': 'the benchmark sets the shop secret its club checks, as a test does',
  'vitest.config.ts': "quiets the AWS SDK's Node-version notice in the test run's own process (the global setup's client)",
};

const code = (text: string) =>
  text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .join('\n');

describe('the configuration', () => {
  it('is read in one place: no other tracked file reads process.env, but for a few with a reason', () => {
    const files = execFileSync('git', ['ls-files', '*.ts', '*.mts', '*.mjs', '*.js'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const readers = files
      .filter((f) => !f.startsWith('test/') && !f.endsWith('.test.ts') && f !== 'shared/config.ts')
      .filter((f) => /process\.env\b/.test(code(readFileSync(f, 'utf8'))));
    expect(readers.filter((f) => !ALLOWED[f])).toEqual([]);
  });

  it('parses every variable with its default, and falls back on a value it cannot use', () => {
    const config = readConfig({
      TABLE_NAME: 'club',
      LOYALTY_CURRENCY: 'eur',
      LOYALTY_COUNTER_SHARDS: '300',
      LOYALTY_POINT_VALUE: 'ten cents',
    });
    expect(config).toMatchObject({
      tableName: 'club',
      currency: 'EUR',
      stage: 'local',
      counterShards: 8,
      pointValue: undefined,
      dynamodbLocal: undefined,
    });
    // An unusable point value is as if unset: the program currency's default decides (IRR 10, USD 0.01, …).
    expect(readConfig({ TABLE_NAME: 'club', LOYALTY_COUNTER_SHARDS: '16', LOYALTY_POINT_VALUE: '0.05' })).toMatchObject({
      counterShards: 16,
      pointValue: '0.05',
    });
    expect(() => readConfig({})).toThrow('TABLE_NAME is not set');
    expect(
      readWebhookConfig({ SHOPIFY_WEBHOOK_SECRET: 'new', SHOPIFY_WEBHOOK_SECRET_PREVIOUS: 'old', WEBHOOK_MAX_RECEIVES: '0' }),
    ).toMatchObject({
      maxReceives: 5,
      secrets: { shopify: ['new', 'old'], woocommerce: [], generic: [] },
    });
    expect(readLocalConfig({ LOYALTY_SCHEDULES: 'off', HOST: '' })).toMatchObject({ schedules: false, host: undefined });
  });

  it("gives DynamoDB Local the club's own key, and AWS none", () => {
    const local = {
      TABLE_NAME: 't',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'LOYALTYABC',
      AWS_SECRET_ACCESS_KEY: 's',
    };
    expect(readConfig(local).dynamodbLocal).toEqual({ region: 'us-east-1', accessKeyId: 'LOYALTYABC', secretAccessKey: 's' });
    expect(readConfig({ TABLE_NAME: 't', AWS_ACCESS_KEY_ID: 'ASIA...' }).dynamodbLocal).toBeUndefined();
  });
});
