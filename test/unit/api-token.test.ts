import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/config';
import { apiToken, sameSecret } from '../../shared/http/api-token';

describe('the API token', () => {
  it('comes from Secrets Manager on AWS, read once per cold start', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'from-the-vault' });
    const config = readConfig({
      TABLE_NAME: 't',
      LOYALTY_STAGE: 'prod',
      LOYALTY_API_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:x',
    });
    expect(await apiToken(config)).toBe('from-the-vault');
    expect(await apiToken(config)).toBe('from-the-vault');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    sm.restore();
  });

  it('compares in constant time and only equal strings match', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
  });
});
