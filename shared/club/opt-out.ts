/**
 * The one-click opt-out a message's link leads to: the link's channel leaves the
 * member's channels, so nothing more (offers or points notices) goes out on it;
 * the other channel and the consents stay as they were. Once is enough: a second
 * click, or the mailbox's POST after the member's, changes nothing more.
 */
import type { ClubDeps } from './deps';
import type { JobDeps } from './jobs';
import { notificationPrefs, setNotificationPrefs } from './notification-prefs';
import { portalSecret } from '../portal/secret';
import { verifyOptOutToken, type OptOutChannel } from '../portal/opt-out';

type Deps = ClubDeps & Pick<JobDeps, 'automation' | 'settings'>;

export interface OptOutView {
  readonly memberId: string;
  readonly channel: OptOutChannel;
  readonly language: 'fa' | 'en';
}

/** What the link names, in the member's language; `apply` also stops the channel. A forged link is refused before anything is read. */
export async function optOut(deps: Deps, token: string, apply: boolean): Promise<OptOutView> {
  const { memberId, channel } = verifyOptOutToken(await portalSecret(), token);
  const prefs = await notificationPrefs(deps, memberId);
  if (apply && prefs.channels.includes(channel)) {
    await setNotificationPrefs(deps, memberId, (current) => ({ channels: current.channels.filter((c) => c !== channel) }));
  }
  return { memberId, channel, language: prefs.language ?? (await deps.settings()).defaultLanguage };
}
