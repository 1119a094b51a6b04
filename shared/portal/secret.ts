/** The portal links' signing key (env locally, Secrets Manager on AWS) and the check every /v1/me route makes. */
import { readAccessConfig, type AccessConfig } from '../config';
import { DomainError } from '../domain/errors';
import { secretValue } from '../secret-value';
import type { Member } from '../domain/member';
import type { ClubStore } from '../store/club-store';
import { verifyPortalToken, type PortalClaims } from './token';

export function portalSecret(access: AccessConfig = readAccessConfig()): Promise<string> {
  if (access.portalSecret) return Promise.resolve(access.portalSecret);
  if (!access.portalSecretArn) return Promise.reject(new Error('no portal secret configured (LOYALTY_PORTAL_SECRET)'));
  return secretValue(access.portalSecretArn, 'portal signing');
}

/** The Shopify app's shared secret that signs app proxy requests; undefined when not set up (the proxy then answers 401). */
export async function shopifyAppSecret(access: AccessConfig = readAccessConfig()): Promise<string | undefined> {
  if (access.shopifyAppSecret) return access.shopifyAppSecret;
  return access.shopifyAppSecretArn ? secretValue(access.shopifyAppSecretArn, 'Shopify app') : undefined;
}

/** A checked portal link: its claims, and the member as the check read them (strongly consistent). */
export interface PortalPrincipal extends PortalClaims {
  readonly record: Member;
}

/**
 * The member an `Authorization: Bearer <portal token>` header names, or a 401:
 * forged, expired, or withdrawn by staff. The member read that checks the
 * withdrawal is handed on, so the /v1/me routes don't read the member again.
 */
export async function portalMember(
  header: string | undefined,
  store: Pick<ClubStore, 'getMember'>,
  now = new Date(),
): Promise<PortalPrincipal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) throw new DomainError('UNAUTHORIZED', 'send Authorization: Bearer <portal token from the link>');
  const claims = verifyPortalToken(await portalSecret(), match[1]!, now);
  const member = await store.getMember(claims.memberId);
  if (!member) throw new DomainError('PORTAL_LINK_INVALID', 'this link is not valid');
  if (member.portalLinksRevokedAt && (!claims.issuedAt || claims.issuedAt <= member.portalLinksRevokedAt)) {
    throw new DomainError('PORTAL_LINK_REVOKED', 'this link was withdrawn; ask the store for a new one');
  }
  return { ...claims, record: member };
}
