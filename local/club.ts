/**
 * The whole club on one machine: DynamoDB Local, the table, the environment the
 * handlers read, background services, and the HTTP API. `npm start`, the
 * integration tests and the benchmark all start it through startClub().
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureTable, localClient, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDBLocal, type LocalCredentials } from './dynamodb-local';
import { localEventsAndNotifier, LocalScheduleService } from './automations';
import { readAccessConfig, readLocalConfig } from '../shared/config';
import { setLocalStandIns } from '../shared/wiring';
import { setHandlerEnvironment } from './handler-env';
import { startServer } from './server';
import { shopSyncQueueService } from './shop-sync-queue';
import { webhookQueueService } from './webhook-queue';

export const DEFAULT_TABLE_NAME = 'loyalty-local';
export const DEFAULT_DATA_DIR = '.loyalty-data';

/** What a background service gets when it starts; process.env is already set by then. */
export interface ClubContext {
  readonly tableName: string;
  readonly dynamodbEndpoint: string;
  readonly dataDir?: string;
  readonly apiToken: string;
  readonly log: (line: string) => void;
}

/** Something that runs beside the HTTP API: a queue consumer, a schedule. */
export interface ClubService {
  readonly name: string;
  start(ctx: ClubContext): Promise<void>;
  /**
   * Called once every service has started, before the HTTP API: work that must
   * find the others running (the stream poller's first batch reaches every local rule).
   */
  allStarted?(): Promise<void>;
  /** Called in reverse start order; should let in-flight work finish. */
  stop(): Promise<void>;
  /** Resolves once what was committed before the call has been through the service (the stream processor). */
  drained?(): Promise<void>;
}

/**
 * Started after the table and the environment, before the HTTP API takes requests.
 * The webhook queue consumer and the schedules belong here.
 */
export const BACKGROUND_SERVICES: readonly ClubService[] = [
  localEventsAndNotifier(),
  new LocalScheduleService(),
  webhookQueueService(),
  shopSyncQueueService(),
];

export interface StartClubOptions {
  /** HTTP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Keeps the store and the API token. @default '.loyalty-data' unless inMemory or dynamodbEndpoint */
  readonly dataDir?: string;
  /** DynamoDB Local without files: tests. */
  readonly inMemory?: boolean;
  /** Use an already running DynamoDB (the tests' shared one) instead of starting one. */
  readonly dynamodbEndpoint?: string;
  /**
   * With dynamodbEndpoint: the credentials to send. A DynamoDB Local started without
   * -sharedDb keeps one database per access key id. @default LOCAL_CREDENTIALS
   */
  readonly dynamodbCredentials?: LocalCredentials;
  /** Extra JVM flags for DynamoDB Local (see QUICK_START_JAVA_OPTIONS). */
  readonly dynamodbJavaOptions?: readonly string[];
  /** @default 'loyalty-local' */
  readonly tableName?: string;
  /** @default the one saved in the data dir, else a new one (saved if there is a data dir) */
  readonly apiToken?: string;
  /** @default 'USD' */
  readonly currency?: string;
  /** No access log or progress lines. */
  readonly quiet?: boolean;
  /** @default BACKGROUND_SERVICES */
  readonly services?: readonly ClubService[];
}

export interface RunningClub {
  readonly url: string;
  readonly token: string;
  readonly dataDir?: string;
  readonly tableName: string;
  readonly dynamodbEndpoint: string;
  /** The DynamoDB Local JVM, when this club started one. */
  readonly dynamodbPid?: number;
  /** What a client must send to see the club's tables (the data dir's own access key id when it has one). */
  readonly dynamodbCredentials: LocalCredentials;
  /** Where each request's cost is appended (docs/costs.md): <data dir>/costs.jsonl, or a temp file. */
  readonly costsFile: string;
  /**
   * Resolves once every change committed before the call has been through the table's
   * stream (report counters added, events published): reports are read after it.
   */
  drained(): Promise<void>;
  /** Stops everything in reverse order and restores process.env. Safe to call twice. */
  stop(): Promise<void>;
}

interface Step {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Reads `<dataDir>/api-token` (or another secret's file), or creates it (0600) with a fresh token. */
export async function loadOrCreateToken(
  dataDir: string,
  name = 'api-token',
  fresh = () => randomBytes(32).toString('base64url'),
): Promise<string> {
  const file = join(dataDir, name);
  try {
    const saved = (await readFile(file, 'utf8')).trim();
    if (saved) return saved;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = fresh();
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/**
 * The data dir holds every member, balance, unused reward code and secret: the owner's
 * alone (dir 0700, files 0600). Applied at every start, so a dir made by an older
 * version, or copied with loose modes, is tightened too.
 */
export async function restrictDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await restrictDataDir(path);
    else if (entry.isFile()) await chmod(path, 0o600);
  }
}

/**
 * DynamoDB Local keys its database by the caller's access key id. A random one, kept in
 * the data dir, means a client that doesn't hold it opens another, empty database.
 * Letters and digits only: DynamoDB Local refuses other characters in a key id.
 */
const newAccessKeyId = () => `LOYALTY${randomBytes(16).toString('hex').toUpperCase()}`;

// Handlers read process.env, which is one per process: two clubs at once would
// silently share (and fight over) it.
let running = false;

export async function startClub(options: StartClubOptions = {}): Promise<RunningClub> {
  if (running)
    throw new Error('A club is already running in this process; stop it first (its handlers share the one process environment).');
  running = true;
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  const useOwnStore = !options.dynamodbEndpoint;
  const dataDirOption = options.dataDir ?? (useOwnStore && !options.inMemory ? DEFAULT_DATA_DIR : undefined);
  const dataDir = dataDirOption ? resolve(dataDirOption) : undefined;

  let endpoint = options.dynamodbEndpoint ?? '';
  let token = options.apiToken ?? '';
  // Signs members' portal links; kept in the data dir so links survive a restart.
  let portalSecret = '';
  let url = '';
  let restoreEnv = () => {};
  const costsFile = dataDir
    ? join(dataDir, 'costs.jsonl')
    : join(tmpdir(), `loyalty-costs-${tableName}-${randomBytes(4).toString('hex')}.jsonl`);

  const ctx = (): ClubContext => ({ tableName, dynamodbEndpoint: endpoint, dataDir, apiToken: token, log });

  let stopStore = async () => {};
  let dynamodbPid: number | undefined;
  let credentials = options.dynamodbCredentials ?? LOCAL_CREDENTIALS;
  let closeServer = async () => {};
  const steps: Step[] = [
    {
      name: 'data dir and token',
      start: async () => {
        // Read per request by the handlers: a malformed STAFF_TOKENS would start a club
        // whose every authenticated call answers 500. Refuse now, naming the variable.
        readAccessConfig();
        portalSecret = readLocalConfig().portalSecret ?? '';
        if (dataDir) await restrictDataDir(dataDir);
        if (!token) token = dataDir ? await loadOrCreateToken(dataDir) : randomBytes(32).toString('base64url');
        if (!portalSecret)
          portalSecret = dataDir ? await loadOrCreateToken(dataDir, 'portal-secret') : randomBytes(32).toString('base64url');
      },
      stop: async () => {},
    },
    {
      name: 'DynamoDB Local',
      start: async () => {
        if (!useOwnStore) return;
        const onDisk = !options.inMemory && dataDir;
        const store = await startDynamoDBLocal({
          dbPath: onDisk ? join(dataDir, 'dynamodb') : undefined,
          javaOptions: options.dynamodbJavaOptions,
          accessKeyId: onDisk ? await loadOrCreateToken(dataDir, 'dynamodb-access-key', newAccessKeyId) : undefined,
        });
        credentials = store.credentials;
        endpoint = store.endpoint;
        dynamodbPid = store.pid;
        stopStore = store.stop;
      },
      stop: () => stopStore(),
    },
    {
      name: `table ${tableName}`,
      start: async () => {
        const client = localClient(endpoint, credentials);
        try {
          await ensureTable(client, tableName);
        } finally {
          client.destroy();
        }
      },
      stop: async () => {},
    },
    {
      // Before any handler is imported: handlers read their config at first use.
      name: 'environment',
      start: async () => {
        const env: Record<string, string> = {
          TABLE_NAME: tableName,
          DYNAMODB_ENDPOINT: endpoint,
          LOYALTY_API_TOKEN: token,
          LOYALTY_CURRENCY: (options.currency ?? 'USD').toUpperCase(),
          LOYALTY_STAGE: 'local',
          LOYALTY_PORTAL_SECRET: portalSecret,
          LOYALTY_COSTS_FILE: costsFile,
        };
        // The store is keyed by access key id and region, so the handlers send the club's
        // own, whatever AWS settings the shell has (they are put back on stop).
        env.AWS_REGION = LOCAL_REGION;
        env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
        env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
        restoreEnv = setHandlerEnvironment(env);
      },
      stop: async () => {
        restoreEnv();
      },
    },
    ...(options.services ?? BACKGROUND_SERVICES).map((s) => ({
      name: s.name,
      start: () => s.start(ctx()),
      stop: () => s.stop(),
    })),
    {
      name: 'background services started',
      start: async () => {
        for (const s of options.services ?? BACKGROUND_SERVICES) await s.allStarted?.();
      },
      stop: async () => {},
    },
    {
      // Last, so no request arrives before everything it needs is up.
      name: 'HTTP API',
      start: async () => {
        const server = await startServer({ port: options.port ?? 0, host: options.host, quiet: options.quiet });
        url = server.url;
        closeServer = server.close;
        // Messages' opt-out links point here unless LOYALTY_PORTAL_URL names a public address.
        setLocalStandIns({ publicUrl: url });
      },
      stop: () => {
        setLocalStandIns({ publicUrl: undefined });
        return closeServer();
      },
    },
  ];

  const started: Step[] = [];
  const stopAll = async () => {
    const errors: unknown[] = [];
    for (const step of started.reverse()) {
      try {
        await step.stop();
      } catch (err) {
        errors.push(err);
        console.error(`[loyalty-local] stopping ${step.name} failed:`, err);
      }
    }
    started.length = 0;
    running = false;
    // Without a data dir the costs log is a temp file of this run's: gone with the club, not left in /tmp.
    if (!dataDir) await rm(costsFile, { force: true });
    if (errors.length) throw new AggregateError(errors, 'Some parts of the club did not stop cleanly');
  };

  for (const step of steps) {
    try {
      await step.start();
    } catch (err) {
      await stopAll().catch(() => {});
      throw err;
    }
    started.push(step);
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    token,
    dataDir,
    tableName,
    dynamodbEndpoint: endpoint,
    dynamodbPid,
    dynamodbCredentials: credentials,
    costsFile,
    drained: async () => {
      for (const s of options.services ?? BACKGROUND_SERVICES) await s.drained?.();
    },
    stop: () => (stopping ??= stopAll()),
  };
}
