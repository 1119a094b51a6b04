/**
 * Who is calling a bearer route, and may they? The API token is the store's
 * backend: full admin, as the contract always had it. Named staff tokens
 * (STAFF_TOKENS, local and small installs) and, on AWS, Cognito ID tokens whose
 * groups name the role carry a person's name and role: viewer reads;
 * operator also changes members' points, redeems and replays; admin also edits
 * the program and runs jobs. Each route's role is in the route registry.
 */
import type { AccessConfig, ClubConfig, StaffRole } from '../config';
import { DomainError } from '../domain/errors';
import { apiToken, sameSecret } from './api-token';
import { routeOf } from './route-table';

export interface StaffPrincipal {
  /** Recorded as the actor of what they change (a name or an email); 'api' for the API token. */
  readonly actor: string;
  readonly role: StaffRole;
  readonly via: 'api-token' | 'staff-token' | 'cognito';
}

const RANK: Record<StaffRole, number> = { viewer: 0, operator: 1, admin: 2 };

/** The least role a route key ("POST /v1/redeem") needs: the registry says; a route without one is admin's. */
export function requiredRole(routeKey: string): StaffRole {
  return routeOf(routeKey)?.role ?? 'admin';
}

export function allows(role: StaffRole, routeKey: string): boolean {
  return RANK[role] >= RANK[requiredRole(routeKey)];
}

/** The highest of the roles a Cognito user's groups name; none: no access. */
export function roleFromGroups(groups: readonly string[]): StaffRole | undefined {
  const roles = groups.filter((g): g is StaffRole => g in RANK);
  return roles.sort((a, b) => RANK[b] - RANK[a])[0];
}

type CognitoVerify = (token: string) => Promise<Record<string, unknown>>;
let cognito: { key: string; verify: Promise<CognitoVerify> } | undefined;

function cognitoVerifier(userPoolId: string, clientId: string): Promise<CognitoVerify> {
  const key = `${userPoolId}|${clientId}`;
  if (cognito?.key !== key) {
    cognito = {
      key,
      verify: import('aws-jwt-verify').then(({ CognitoJwtVerifier }) => {
        const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'id' });
        return (token: string) => verifier.verify(token) as Promise<Record<string, unknown>>;
      }),
    };
  }
  return cognito.verify;
}

const unauthorized = (message: string) => new DomainError('UNAUTHORIZED', message);

/** The caller named by an Authorization header, or a 401. */
export async function staffPrincipal(header: string | undefined, config: ClubConfig, access: AccessConfig): Promise<StaffPrincipal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) throw unauthorized('send Authorization: Bearer <token>');
  const given = match[1]!;
  if (sameSecret(given, await apiToken(config))) return { actor: 'api', role: 'admin', via: 'api-token' };
  // Every staff token is compared (constant time each), so timing doesn't say which matched.
  let found: StaffPrincipal | undefined;
  for (const staff of access.staffTokens) {
    if (sameSecret(given, staff.token)) found ??= { actor: staff.name, role: staff.role, via: 'staff-token' };
  }
  if (found) return found;
  if (access.cognitoUserPoolId && access.cognitoClientId && given.split('.').length === 3) {
    const verify = await cognitoVerifier(access.cognitoUserPoolId, access.cognitoClientId);
    const claims = await verify(given).catch(() => undefined);
    const role = claims && roleFromGroups((claims['cognito:groups'] as string[] | undefined) ?? []);
    if (claims && !role) throw new DomainError('FORBIDDEN', 'your account is in no staff group (viewer, operator or admin)');
    if (claims && role) return { actor: String(claims.email ?? claims['cognito:username'] ?? claims.sub), role, via: 'cognito' };
  }
  throw unauthorized('the bearer token is not valid');
}

/** A 403 unless the principal's role covers the route. */
export function authorize(principal: StaffPrincipal, routeKey: string): void {
  if (!allows(principal.role, routeKey)) {
    throw new DomainError('FORBIDDEN', `${principal.actor} is a ${principal.role}; this needs ${requiredRole(routeKey)}`);
  }
}

const ACTOR_HEADER = 'X-Loyalty-Actor';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The name an X-Loyalty-Actor header gives, as written. HTTP headers carry
 * bytes, and Node reads each byte as one Latin-1 character, so a Persian name
 * is sent percent-encoded (RFC 3986, UTF-8) or, sent raw, is recovered from
 * its UTF-8 bytes; anything else would be stored garbled, so it is refused.
 */
export function actorHeader(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const raw = headers['x-loyalty-actor'];
  if (raw === undefined) return undefined;
  const refuse = (message: string) =>
    new DomainError('VALIDATION_FAILED', `the ${ACTOR_HEADER} header is not valid`, [{ path: ACTOR_HEADER, message }]);
  if (raw.includes('%')) {
    try {
      return decodeURIComponent(raw);
    } catch {
      throw refuse('percent-encode the name as UTF-8 (RFC 3986), e.g. %D9%85%D8%B3%D8%B1%D9%88%D8%B1 for «مسرور»; a literal % is %25');
    }
  }
  // Characters past U+00FF mean the header already arrived as text (not as Latin-1 bytes).
  if (!/[\u0080-\u00ff]/.test(raw) || /[^\u0000-\u00ff]/.test(raw)) return raw;
  try {
    return utf8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    throw refuse('the name is not UTF-8: send it percent-encoded (RFC 3986, UTF-8)');
  }
}

/** Who a change is recorded against: a signed-in person always; the API token may name the person it acts for. */
export function actorOf(principal: StaffPrincipal | undefined, claimed: string | undefined): string | undefined {
  if (principal && principal.via !== 'api-token') return principal.actor;
  return claimed;
}
