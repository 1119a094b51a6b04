/** A Secrets Manager secret's value, read once per cold start (and again after a failed read). */
const cache = new Map<string, Promise<string>>();

export function secretValue(secretArn: string, what: string): Promise<string> {
  let value = cache.get(secretArn);
  if (!value) {
    value = (async () => {
      const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
      const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }));
      if (!out.SecretString) throw new Error(`the ${what} secret is empty`);
      return out.SecretString;
    })();
    cache.set(secretArn, value);
    value.catch(() => cache.delete(secretArn));
  }
  return value;
}
