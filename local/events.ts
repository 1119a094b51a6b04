/**
 * Domain events on one machine: read off the table's stream by the same
 * handler Lambda runs (local/stream-poller.ts), appended to
 * `<dataDir>/events.jsonl` (what EventBridge subscribers would see) and handed
 * to the in-process notifier, whose messages land in `<dataDir>/outbox.jsonl`
 * and on the console, never sent.
 */
import { appendFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setProcessEventSink, type DomainEvent, type EventPublisher } from '../shared/events/events';
import { separateInvocation } from '../shared/costs/record';
import { handler as streamProcessor } from '../functions/stream-processor';
import { STREAM_ITEM_TYPES } from '../shared/events/stream-events';
import type { ClubContext, ClubService } from './club';
import { FUNCTION_TIMEOUT_MS, lambdaContext } from './lambda-context';
import { StreamPoller } from './stream-poller';

export interface LocalEventsOptions {
  /** Where events.jsonl and outbox.jsonl go. @default the club's data dir, else a temp dir */
  readonly dir?: string;
  /** Called with each batch after it is written (the notifier). */
  readonly onEvents?: (events: readonly DomainEvent[], ctx: ClubContext & { dir: string }) => Promise<void>;
  /**
   * Poll the table's stream (the stream processor). Off only to stand for a
   * processor that is down: what commits meanwhile is published once it polls again.
   * @default true
   */
  readonly pollStream?: boolean;
  /** Called with the events dir before the first poll (the notifier's outbox goes there). */
  readonly beforePolling?: (dir: string, ctx: ClubContext) => void;
}

/** What a bus rule does with the events it matches: local stand-ins for EventBridge rules' targets (a queue). */
export type LocalEventRule = (events: readonly DomainEvent[]) => Promise<void>;
const rules = new Set<LocalEventRule>();

/** Adds a rule every published batch goes through after it is written; the answer removes it. */
export function addLocalEventRule(rule: LocalEventRule): () => void {
  rules.add(rule);
  return () => rules.delete(rule);
}

export class LocalEventsService implements ClubService {
  readonly name = 'domain events (events.jsonl)';
  dir = '';
  /** The dir is a temp one made at start (no data dir, none given): removed at stop. */
  private ownDir = false;
  /** The publishes in flight, one after another. */
  private chain: Promise<unknown> = Promise.resolve();
  private poller: StreamPoller | undefined;

  constructor(private readonly options: LocalEventsOptions = {}) {}

  async start(ctx: ClubContext): Promise<void> {
    this.ownDir = !this.options.dir && !ctx.dataDir;
    this.dir = this.options.dir ?? ctx.dataDir ?? (await mkdtemp(join(tmpdir(), 'loyalty-events-')));
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, 'events.jsonl');
    // One append at a time, so concurrent publishers never interleave lines.
    const sink: EventPublisher = {
      publish: (events) => {
        const run = this.chain.then(async () => {
          // 0600: events carry unused reward codes and members' details.
          await appendFile(file, events.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
          if (this.options.onEvents) {
            try {
              await this.options.onEvents(events, { ...ctx, dir: this.dir });
            } catch (err) {
              ctx.log(`[events] notifier failed: ${String(err)}`);
            }
          }
          for (const rule of rules) {
            try {
              await rule(events);
            } catch (err) {
              ctx.log(`[events] a rule's target refused the events: ${String(err)}`);
            }
          }
        });
        this.chain = run.catch(() => {});
        return run;
      },
    };
    setProcessEventSink(sink);
    this.options.beforePolling?.(this.dir, ctx);
    if (this.options.pollStream === false) return;
    // Polling starts once every service is up (allStarted): a backlog's first batch then reaches every rule.
    this.poller = new StreamPoller({
      endpoint: ctx.dynamodbEndpoint,
      tableName: ctx.tableName,
      // Beside events.jsonl: the events written and how far the stream was read go together.
      checkpointFile: join(this.dir, `stream-checkpoint-${ctx.tableName}.json`),
      // Its own invocation, as the event source mapping's is: not billed to the request that committed.
      handle: (event) => separateInvocation(() => streamProcessor(event, lambdaContext('stream-processor', FUNCTION_TIMEOUT_MS.route))),
      // The mapping's filter on AWS (infra/constructs/event-stream.ts): the processor's own writes don't invoke it.
      accepts: (record) => (STREAM_ITEM_TYPES as readonly string[]).includes(String(record.dynamodb?.NewImage?.itemType?.S)),
      log: ctx.log,
    });
  }

  async allStarted(): Promise<void> {
    await this.poller?.start();
  }

  /** Resolves once every change committed before the call is published (tests wait on it, never on a sleep). */
  async drained(): Promise<void> {
    await this.poller?.drained();
  }

  async stop(): Promise<void> {
    await this.poller?.stop();
    this.poller = undefined;
    setProcessEventSink(undefined);
    if (this.ownDir) {
      await this.chain;
      await rm(this.dir, { recursive: true, force: true });
    }
  }
}
