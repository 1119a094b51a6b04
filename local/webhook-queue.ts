/**
 * The webhook queue on one machine: fauxqs (an SQS-protocol server) with the
 * queue and its dead-letter queue, and a poller that drains it in batches into
 * functions/webhook-consumer.ts as Lambda's event source mapping would:
 * batching window, ReportBatchItemFailures, deleting only what succeeded,
 * redrive to the DLQ after maxReceives.
 *
 * fauxqs keeps messages in memory, so with a data dir every accepted delivery
 * is journaled (before SendMessage answers, so before the receiver's 202) and
 * marked done once applied or parked; at start the ones not done are queued again.
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { metered } from '../shared/store/capacity-meter';
import type { ClubContext, ClubService } from './club';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local';
import { setHandlerEnvironment } from './handler-env';
import { lambdaContext } from './lambda-context';

export const QUEUE_NAME = 'loyalty-webhooks';
export const DLQ_NAME = 'loyalty-webhooks-dlq';
const JOURNAL_FILE = 'webhook-journal.ndjson';
const REQUEUED = 'loyalty-requeued';

export interface WebhookQueueOptions {
  /** Seconds a received message stays hidden; a failed one comes back after it. @default 10 */
  readonly visibilityTimeoutSeconds?: number;
  /** Long-poll wait of each receive; also bounds how long stop() waits. @default 1 */
  readonly waitTimeSeconds?: number;
  /** @default 10 */
  readonly batchSize?: number;
  /** How long a batch gathers records after the first arrives. @default 200 */
  readonly batchWindowMs?: number;
  /** Receives before the DLQ; the consumer parks a delivery at the last one. @default 5 */
  readonly maxReceives?: number;
  /** Poll loops, like concurrent Lambda invocations. @default 2 */
  readonly concurrency?: number;
  /** false: queue and journal only, nothing consumed (tests of restart survival). @default true */
  readonly consume?: boolean;
}

export interface ConsumerStats {
  invocations: number;
  records: number;
  failures: number;
  readCapacityUnits: number;
  writeCapacityUnits: number;
  /** Write units by AWS's rule for transactions (CapacityReading.awsWriteUnits). */
  awsWriteUnits: number;
  dynamoCalls: number;
  /** Sum of the consumer invocations' durations, as Lambda would bill them (ms). */
  durationMs: number;
}

export interface WebhookQueueService extends ClubService {
  readonly stats: ConsumerStats;
  /** Messages in the queue (visible + in flight) and in the DLQ. */
  depth(): Promise<{ queue: number; inFlight: number; dlq: number }>;
}

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

interface JournalLine {
  readonly op: 'accepted' | 'done';
  readonly id: string;
  readonly body?: string;
}

function envelopeId(body: string | undefined): string | undefined {
  try {
    const id = (JSON.parse(body ?? '') as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

class Journal {
  private fd: number | undefined;
  constructor(private readonly file: string) {}

  /** The accepted deliveries not yet done, and a compacted journal holding just them. */
  async open(): Promise<Map<string, string>> {
    const pending = new Map<string, string>();
    let text = '';
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let entry: JournalLine;
      try {
        entry = JSON.parse(line) as JournalLine;
      } catch {
        continue; // a line torn by a crash mid-write: its SendMessage never answered
      }
      if (entry.op === 'accepted' && entry.body !== undefined) pending.set(entry.id, entry.body);
      else if (entry.op === 'done') pending.delete(entry.id);
    }
    const compacted = [...pending].map(([id, body]) => `${JSON.stringify({ op: 'accepted', id, body })}\n`).join('');
    // 0600: deliveries carry customers' names, emails and orders.
    await writeFile(`${this.file}.tmp`, compacted, { mode: 0o600 });
    await rename(`${this.file}.tmp`, this.file);
    this.fd = openSync(this.file, 'a', 0o600);
    return pending;
  }

  append(lines: readonly JournalLine[], durable: boolean): void {
    if (this.fd === undefined || lines.length === 0) return;
    writeSync(this.fd, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    if (durable) fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export function webhookQueueService(options: WebhookQueueOptions = {}): WebhookQueueService {
  const visibility = options.visibilityTimeoutSeconds ?? 10;
  const wait = options.waitTimeSeconds ?? 1;
  const batchSize = options.batchSize ?? 10;
  const windowMs = options.batchWindowMs ?? 200;
  const maxReceives = options.maxReceives ?? 5;
  const concurrency = options.concurrency ?? 2;

  const stats: ConsumerStats = {
    invocations: 0,
    records: 0,
    failures: 0,
    readCapacityUnits: 0,
    writeCapacityUnits: 0,
    awsWriteUnits: 0,
    dynamoCalls: 0,
    durationMs: 0,
  };
  let app: { close(): Promise<unknown> } | undefined;
  let sqs: SQSClient | undefined;
  let journal: Journal | undefined;
  let queueUrl = '';
  let queueArn = '';
  let dlqUrl = '';
  let stopping = false;
  let loops: Promise<void>[] = [];
  let restoreEnv = () => {};
  let log: (line: string) => void = () => {};

  async function receive(max: number, waitSeconds: number): Promise<Message[]> {
    const out = await sqs!.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp', 'ApproximateFirstReceiveTimestamp'],
      }),
    );
    return out.Messages ?? [];
  }

  async function invoke(handler: Handler, batch: Message[]): Promise<void> {
    const event: SQSEvent = {
      Records: batch.map((m) => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? '',
        attributes: {
          ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
          SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: LOCAL_REGION,
      })),
    };
    // Counting down from the visibility timeout, as on Lambda: whatever stops by the deadline sees the real time left.
    const context = lambdaContext('webhook-consumer', visibility * 1000);
    let failed: Set<string>;
    const started = performance.now();
    try {
      const { result, capacity } = await metered(() => handler(event, context));
      stats.durationMs += performance.now() - started;
      stats.readCapacityUnits += capacity.readCapacityUnits;
      stats.writeCapacityUnits += capacity.writeCapacityUnits;
      stats.awsWriteUnits += capacity.awsWriteUnits;
      stats.dynamoCalls += capacity.calls;
      failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      log(`[webhooks] the consumer failed a whole batch: ${(err as Error).message}`);
      failed = new Set(batch.map((m) => m.MessageId!));
    }
    stats.invocations += 1;
    stats.records += batch.length;
    stats.failures += failed.size;
    const done = batch.filter((m) => !failed.has(m.MessageId!));
    if (done.length === 0) return;
    // The DLQ keeps what fails; only successes leave the queue.
    await sqs!.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    journal?.append(
      done.map((m) => ({ op: 'done' as const, id: envelopeId(m.Body) ?? m.MessageId! })),
      false,
    );
  }

  async function pollLoop(): Promise<void> {
    const { handler } = (await import('../functions/webhook-consumer')) as { handler: Handler };
    while (!stopping) {
      try {
        const batch = await receive(Math.min(10, batchSize), wait);
        if (batch.length === 0) continue;
        const windowEnd = Date.now() + windowMs;
        while (batch.length < batchSize && !stopping) {
          const left = windowEnd - Date.now();
          if (left <= 0) break;
          const more = await receive(Math.min(10, batchSize - batch.length), 0);
          if (more.length > 0) batch.push(...more);
          else await sleep(Math.min(20, left));
        }
        await invoke(handler, batch);
      } catch (err) {
        if (stopping) return;
        log(`[webhooks] polling failed: ${(err as Error).message}`);
        await sleep(200);
      }
    }
  }

  return {
    name: 'webhook queue',
    stats,
    async start(ctx: ClubContext) {
      log = ctx.log;
      stopping = false;
      const { buildApp } = await import('fauxqs');
      const server = buildApp({ logger: false });
      server.addHook(
        'onSend',
        async (request: { headers: Record<string, unknown>; body: unknown }, reply: { statusCode: number }, payload: unknown) => {
          // Journal an accepted delivery before SendMessage answers, so before the receiver's 202.
          if (journal && request.headers['x-amz-target'] === 'AmazonSQS.SendMessage' && reply.statusCode === 200) {
            const body = request.body as { QueueUrl?: string; MessageBody?: string; MessageAttributes?: Record<string, unknown> };
            if (body?.QueueUrl === queueUrl && !body.MessageAttributes?.[REQUEUED]) {
              const id = envelopeId(body.MessageBody);
              if (id) journal.append([{ op: 'accepted', id, body: body.MessageBody }], true);
            }
          }
          return payload;
        },
      );
      const address = await server.listen({ port: 0, host: '127.0.0.1' });
      app = server;
      const endpoint = new URL(address).origin;
      sqs = new SQSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

      dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: DLQ_NAME }))).QueueUrl!;
      const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!
        .QueueArn!;
      queueUrl = (
        await sqs.send(
          new CreateQueueCommand({
            QueueName: QUEUE_NAME,
            Attributes: {
              VisibilityTimeout: String(visibility),
              RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: maxReceives }),
            },
          }),
        )
      ).QueueUrl!;
      queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!
        .QueueArn!;

      if (ctx.dataDir) {
        journal = new Journal(join(ctx.dataDir, JOURNAL_FILE));
        const pending = await journal.open();
        for (const body of pending.values()) {
          await sqs.send(
            new SendMessageCommand({
              QueueUrl: queueUrl,
              MessageBody: body,
              MessageAttributes: { [REQUEUED]: { DataType: 'String', StringValue: '1' } },
            }),
          );
        }
        if (pending.size > 0) log(`[webhooks] ${pending.size} accepted deliveries queued again after the restart`);
      }

      const env: Record<string, string> = {
        WEBHOOK_QUEUE_URL: queueUrl,
        SQS_ENDPOINT: endpoint,
        WEBHOOK_MAX_RECEIVES: String(maxReceives),
      };
      restoreEnv = setHandlerEnvironment(env);
      if (options.consume !== false) loops = Array.from({ length: concurrency }, () => pollLoop());
    },
    async stop() {
      stopping = true;
      await Promise.allSettled(loops);
      loops = [];
      restoreEnv();
      sqs?.destroy();
      sqs = undefined;
      await app?.close();
      app = undefined;
      journal?.close();
      journal = undefined;
    },
    async depth() {
      const attrs = async (url: string) =>
        (
          await sqs!.send(
            new GetQueueAttributesCommand({
              QueueUrl: url,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
            }),
          )
        ).Attributes ?? {};
      const [q, d] = await Promise.all([attrs(queueUrl), attrs(dlqUrl)]);
      return {
        queue: Number(q.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(q.ApproximateNumberOfMessagesNotVisible ?? 0),
        dlq: Number(d.ApproximateNumberOfMessages ?? 0),
      };
    },
  };
}
