/** A member's portal link: the page's address with a fresh token in its fragment. */
import { readAccessConfig } from '../config';
import { portalSecret } from './secret';
import { issuePortalToken } from './token';

export async function portalLink(memberId: string, now: Date, options: { lang?: 'fa' | 'en'; ttlMinutes?: number; origin: string }) {
  const access = readAccessConfig();
  const ttl = options.ttlMinutes !== undefined ? options.ttlMinutes * 60 : access.portalTtlSeconds;
  const { token, expiresAt } = issuePortalToken(await portalSecret(access), memberId, now, ttl);
  const base = (access.portalUrl ?? options.origin).replace(/\/+$/, '');
  // The token rides in the fragment: browsers never send it to a server, a log or a Referer.
  const url = `${base}/club${options.lang ? `?lang=${options.lang}` : ''}#t=${token}`;
  return { url, token, expiresAt };
}
