/** A member's say in what the notifier sends: consent per kind, channels in order, language. */
import type { AutomationStore, NotifyPrefs } from '../store/automation-store';
import { defaultPrefs } from '../notify/notifier';
import type { ClubDeps } from './deps';
import { getMember } from './members';

type Deps = ClubDeps & { readonly automation: AutomationStore };

export async function notificationPrefs(deps: Deps, memberId: string): Promise<NotifyPrefs> {
  await getMember(deps, memberId);
  return (await deps.automation.getPrefs(memberId)) ?? defaultPrefs(memberId);
}

export async function setNotificationPrefs(
  deps: Deps,
  memberId: string,
  change: Partial<Omit<NotifyPrefs, 'memberId' | 'updatedAt'>>,
): Promise<NotifyPrefs> {
  const current = await notificationPrefs(deps, memberId);
  const next: NotifyPrefs = { ...current, ...change, memberId, updatedAt: deps.now().toISOString() };
  await deps.automation.putPrefs(next);
  return next;
}
