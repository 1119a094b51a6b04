/** A test club whose domain events land in a temp dir's events.jsonl (the local bus), and reading them back. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalEventsService } from '../../local/events';
import type { ClubService } from '../../local/club';
import { startTestClub, type TestClub } from './club';

export interface ClubWithBus {
  readonly club: TestClub;
  readonly dir: string;
  /** Waits until every change committed so far is published (the stream read to its end). */
  drained(): Promise<void>;
  /** The events published for the member once the stream is drained, oldest first; of one type if given. */
  eventsOf(memberId: string, type?: string): Promise<any[]>;
}

/** `services`: more background services beside the bus (a webhook queue). */
export async function startClubWithBus(prefix: string, services: readonly ClubService[] = []): Promise<ClubWithBus> {
  const dir = await mkdtemp(join(tmpdir(), `loyalty-${prefix}-`));
  const bus = new LocalEventsService({ dir });
  const started = await startTestClub({ services: [bus, ...services] });
  // The bus's dir goes with the club, not left in /tmp.
  const club: TestClub = {
    ...started,
    async stop() {
      await started.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return {
    club,
    dir,
    drained: () => bus.drained(),
    async eventsOf(memberId, type) {
      await bus.drained();
      const text = await readFile(join(dir, 'events.jsonl'), 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((e) => e.memberId === memberId && (!type || e.type === type));
    },
  };
}
