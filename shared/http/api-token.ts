import { timingSafeEqual, createHash } from 'node:crypto';
import type { ClubConfig } from '../config';
import { secretValue } from '../secret-value';

/** The bearer token: from the environment locally, from Secrets Manager on AWS (once per cold start). */
export function apiToken(config: ClubConfig): Promise<string> {
  if (config.apiToken) return Promise.resolve(config.apiToken);
  if (!config.apiTokenSecretArn) return Promise.reject(new Error('no API token configured'));
  return secretValue(config.apiTokenSecretArn, 'API token');
}

/** Constant time whatever the lengths: both sides are hashed first. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
