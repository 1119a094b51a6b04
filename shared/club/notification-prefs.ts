/** A member's say in what the notifier sends: consent per kind, channels in order, language. */
import { concurrentUpdate } from '../domain/errors';
import { defaultPrefs } from '../notify/notifier';
import { AGAIN, AGAIN_NOW, withRetries, type RetryPolicy } from '../retry';
import type { AutomationStore, NotifyPrefs } from '../store/automation-store';
import { COMMIT_RESERVE_MS } from './balance-change';
import type { ClubDeps } from './deps';
import { getMember } from './members';

type Deps = ClubDeps & { readonly automation: AutomationStore };

/** Saves of one member's preferences meet rarely (staff, the member, an opt-out click): a few quick tries. */
const PREFS_RACES: RetryPolicy = { attempts: 10, baseMs: 5, capMs: 100 };

export async function notificationPrefs(deps: Deps, memberId: string): Promise<NotifyPrefs> {
  await getMember(deps, memberId);
  return (await deps.automation.getPrefs(memberId)) ?? defaultPrefs(memberId);
}

type PrefsChange = Partial<Omit<NotifyPrefs, 'memberId' | 'updatedAt'>>;

/**
 * Read → decide → save only if nobody saved in between: the table's stream counts the
 * consent a save moves from what the item was and became (docs/reports.md), so a save
 * repeated (a retried request, a second click) moves nothing. A lost race reads again (and a change
 * given as a function of the current preferences is made again from what it reads).
 */
export async function setNotificationPrefs(
  deps: Deps,
  memberId: string,
  change: PrefsChange | ((current: NotifyPrefs) => PrefsChange),
): Promise<NotifyPrefs> {
  await getMember(deps, memberId);
  return withRetries(
    { ...PREFS_RACES, deadline: { remainingMs: deps.remainingMs, reserveMs: COMMIT_RESERVE_MS } },
    async () => {
      // Consistent: the save conditions on what this read saw (a stale one would only lose the race and read again).
      const before = await deps.automation.getPrefs(memberId, { consistent: true });
      const current = before ?? defaultPrefs(memberId);
      const at = deps.now().toISOString();
      const next: NotifyPrefs = { ...current, ...(typeof change === 'function' ? change(current) : change), memberId, updatedAt: at };
      const outcome = await deps.automation.savePrefs(before, next);
      if (outcome === 'saved') return next;
      return outcome === 'prefs-changed' ? AGAIN_NOW : AGAIN;
    },
    () =>
      concurrentUpdate(`member ${memberId}'s message preferences are being changed by someone else; nothing was written, send it again`),
  );
}
