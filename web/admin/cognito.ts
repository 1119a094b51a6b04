/// <reference lib="dom" />
/**
 * Sign-in through the Cognito hosted UI on AWS (authorization code + PKCE; no
 * client secret in a static page). /admin/config.json, written by the CDK
 * stack next to the pages, names the domain and the app client; locally there
 * is none and the console asks for a token instead. The ID token goes to the
 * API as the bearer; its cognito:groups carry the role.
 */
export interface CognitoConfig {
  readonly domain: string;
  readonly clientId: string;
}

const VERIFIER = 'loyalty.pkceVerifier';

export async function cognitoConfig(): Promise<CognitoConfig | undefined> {
  const res = await fetch('/admin/config.json').catch(() => undefined);
  if (!res?.ok) return undefined;
  const config = (await res.json().catch(() => null)) as Partial<CognitoConfig> | null;
  return config?.domain && config.clientId ? (config as CognitoConfig) : undefined;
}

const b64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const redirectUri = () => `${location.origin}/admin/`;

export async function startCognitoSignIn(config: CognitoConfig): Promise<void> {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem(VERIFIER, verifier);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email',
    code_challenge_method: 'S256',
    code_challenge: challenge,
  });
  location.assign(`https://${config.domain}/oauth2/authorize?${q}`);
}

/** Back from the hosted UI with ?code=…: trade it for the ID token. */
export async function finishCognitoSignIn(): Promise<string | undefined> {
  const code = new URLSearchParams(location.search).get('code');
  const verifier = sessionStorage.getItem(VERIFIER);
  if (!code || !verifier) return undefined;
  const config = await cognitoConfig();
  if (!config) return undefined;
  history.replaceState(null, '', location.pathname);
  sessionStorage.removeItem(VERIFIER);
  const res = await fetch(`https://${config.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: verifier,
    }),
  });
  if (!res.ok) return undefined;
  return ((await res.json()) as { id_token?: string }).id_token;
}
