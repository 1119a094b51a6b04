/** The portal links' signing key (env locally, Secrets Manager on AWS) and the check every /v1/me route makes. */
import { readAccessConfig, type AccessConfig } from '../config';
import { DomainError } from '../domain/errors';
import { secretValue } from '../secret-value';
import { verifyPortalToken, type PortalClaims } from './token';

export function portalSecret(access: AccessConfig = readAccessConfig()): Promise<string> {
  if (access.portalSecret) return Promise.resolve(access.portalSecret);
  if (!access.portalSecretArn) return Promise.reject(new Error('no portal secret configured (LOYALTY_PORTAL_SECRET)'));
  return secretValue(access.portalSecretArn, 'portal signing');
}

/** The member an `Authorization: Bearer <portal token>` header names, or a 401. */
export async function portalMember(header: string | undefined, now = new Date()): Promise<PortalClaims> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) throw new DomainError('UNAUTHORIZED', 401, 'send Authorization: Bearer <portal token from the link>');
  return verifyPortalToken(await portalSecret(), match[1]!, now);
}
