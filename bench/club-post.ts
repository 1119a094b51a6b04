/** The bench's staff calls to a running club: POST with the API token, refusing any other status than the one expected. */
import type { RunningClub } from '../local/club';

export function clubPost(club: RunningClub) {
  return async (path: string, body: unknown, expected: number): Promise<void> => {
    const res = await fetch(club.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${club.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== expected) throw new Error(`${path}: expected ${expected}, got ${res.status} ${text}`);
  };
}
