/** A test club whose domain events land in a temp dir's events.jsonl (the local bus), and reading them back. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalEventsService } from '../../local/events';
import type { ClubService } from '../../local/club';
import { startTestClub, type TestClub } from './club';

export interface ClubWithBus {
  readonly club: TestClub;
  /** Waits until every change committed so far is published (the stream read to its end). */
  drained(): Promise<void>;
  /** The events published for the member once the stream is drained, oldest first; of one type if given. */
  eventsOf(memberId: string, type?: string): Promise<any[]>;
}

/** `services`: more background services beside the bus (a webhook queue). */
export async function startClubWithBus(services: readonly ClubService[] = []): Promise<ClubWithBus> {
  // No dir given: the bus makes a temp one and removes it when the club stops.
  const bus = new LocalEventsService();
  const club = await startTestClub({ services: [bus, ...services] });
  return {
    club,
    drained: () => bus.drained(),
    async eventsOf(memberId, type) {
      await bus.drained();
      const text = await readFile(join(bus.dir, 'events.jsonl'), 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((e) => e.memberId === memberId && (!type || e.type === type));
    },
  };
}
