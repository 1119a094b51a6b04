/**
 * The jobs' and notifier's dependencies on top of the club runtime: the
 * automation store on the same metered client, the events publisher, and the
 * automation settings (the program's, over the defaults).
 */
import type { JobDeps } from '../club/jobs';
import { automationSettings, type AutomationSettings } from '../domain/automation-settings';
import { noEvents } from '../events/events';
import { DynamoAutomationStore } from '../store/automation-store';
import { clubRuntime, type ClubRuntime } from './runtime';

let built: { for: ClubRuntime; deps: JobDeps } | undefined;

/** What a program may carry for the automations (issue #4 stores it in the program document). */
type ProgramWithAutomations = { readonly automation?: Partial<AutomationSettings>; readonly timeZone?: string };

export function jobRuntime(): { runtime: ClubRuntime; deps: JobDeps } {
  const runtime = clubRuntime();
  if (built?.for !== runtime) {
    const { deps, config, db } = runtime;
    built = {
      for: runtime,
      deps: {
        ...deps,
        events: deps.events ?? noEvents,
        automation: new DynamoAutomationStore(db, config.tableName),
        settings: async () => {
          const program = (await deps.program()) as ProgramWithAutomations;
          return automationSettings({ timeZone: program.timeZone ?? config.timeZone ?? 'UTC', ...program.automation });
        },
      },
    };
  }
  return { runtime, deps: built.deps };
}
