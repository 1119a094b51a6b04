/**
 * The jobs' and notifier's dependencies on top of the club runtime: the
 * automation store on the same metered client, the events publisher, and the
 * automation settings (the program's, over the defaults).
 */
import type { JobDeps } from '../club/jobs';
import { ParkingPublisher } from '../events/parking-publisher';
import { automationSettings, type AutomationSettings } from '../domain/automation-settings';
import { noEvents } from '../events/events';
import { DynamoAutomationStore } from '../store/automation-store';
import { DynamoMemberDirectory } from '../store/member-directory';
import { DynamoNameReindexStore } from '../store/name-reindex';
import { clubRuntime, type ClubRuntime } from './runtime';

let built: { for: ClubRuntime; deps: JobDeps } | undefined;


export function jobRuntime(): { runtime: ClubRuntime; deps: JobDeps } {
  const runtime = clubRuntime();
  if (built?.for !== runtime) {
    const { deps, config, db } = runtime;
    built = {
      for: runtime,
      deps: {
        ...deps,
        events: deps.events ?? noEvents,
        ...(deps.events instanceof ParkingPublisher && { eventParking: deps.events }),
        automation: new DynamoAutomationStore(db, config.tableName),
        nameReindex: new DynamoNameReindexStore(db, config.tableName),
        memberDirectory: new DynamoMemberDirectory(db, config.tableName),
        settings: async () => {
          const { timeZone, automation } = await deps.program();
          const { quietHours, ...rest } = automation;
          return automationSettings({ timeZone, ...rest, ...(quietHours ? { quietHours } : { quietHours: undefined }) });
        },
      },
    };
  }
  return { runtime, deps: built.deps };
}
