/**
 * AWS's DynamoDB Local (the jar shipped in amplify-dynamodb-simulator), run as a
 * child process so the local club and the tests use the real DynamoDB API with the
 * table definition the CDK stack deploys.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLocalConfig } from '../shared/config';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, TTL_ATTRIBUTE } from '../shared/store/table-definition';

export interface DynamoDBLocalOptions {
  /** Persist to this directory (created if missing). Without it the store is in memory. */
  readonly dbPath?: string;
  /** @default 30_000 */
  readonly startTimeoutMs?: number;
  /** Extra JVM flags, e.g. QUICK_START_JAVA_OPTIONS. */
  readonly javaOptions?: readonly string[];
  /**
   * Keys the store: DynamoDB Local keeps one database per access key id and region
   * (`<accessKeyId>_<region>.db`), so only clients with this id see its tables.
   * Without it, one database shared by every caller (-sharedDb): tests' in-memory store.
   */
  readonly accessKeyId?: string;
}

/**
 * C1 only and the serial GC: measured on a 2-CPU machine, about a second off each
 * start, and no slower over a few thousand requests. Used by the tests; `npm start`
 * keeps the JVM's defaults, which may do better on long runs on larger machines.
 */
export const QUICK_START_JAVA_OPTIONS: readonly string[] = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

export interface DynamoDBLocal {
  readonly endpoint: string;
  /** What a client must send to see this store's tables. */
  readonly credentials: LocalCredentials;
  readonly pid: number;
  /** Kills the child and resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** DynamoDB Local ignores credentials with -sharedDb, but the SDK insists on some. */
export const LOCAL_CREDENTIALS: LocalCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

/** Where earlier versions (with -sharedDb) kept the data: migrated once to the keyed file. */
const SHARED_DB_FILE = 'shared-local-instance.db';

/** DynamoDB Local's file for one access key id and region. */
export function keyedDbFile(accessKeyId: string, region = LOCAL_REGION): string {
  return `${accessKeyId}_${region}.db`;
}

/** DynamoDB Local checks nothing but the access key id; the secret only has to be there. */
export function credentialsFor(accessKeyId: string | undefined): LocalCredentials {
  return accessKeyId ? { accessKeyId, secretAccessKey: 'local' } : LOCAL_CREDENTIALS;
}

export function localClient(endpoint: string, credentials: LocalCredentials = LOCAL_CREDENTIALS): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials });
}

function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

function javaCommand(): string {
  const home = readLocalConfig().javaHome;
  const fromHome = home ? join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java') : undefined;
  return fromHome && existsSync(fromHome) ? fromHome : 'java';
}

/**
 * Free on every interface, so it is free whichever way the JVM ends up binding
 * (loopback through the launcher, every interface without it).
 */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', rej);
    srv.listen(0, () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Children still running, killed synchronously when this process exits however it
// exits, so a crashed test run or CLI never leaves a JVM holding a port.
const live = new Set<ChildProcess>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  // A signal with no other listener would end node without 'exit'. When someone
  // else listens (the CLI's graceful shutdown), they own the signal and call stop().
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return;
      for (const child of live) child.kill('SIGKILL');
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

class StartError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
    readonly launcherUnsupported = false,
  ) {
    super(message);
  }
}

const javaMissing = (java: string) =>
  new StartError(
    `DynamoDB Local needs Java 17 or newer, and "${java}" was not found. ` +
      'Install a JDK/JRE 17+ and put `java` on PATH (or set JAVA_HOME).',
  );

/** Starts DynamoDB Local on a free port and resolves once it answers ListTables. */
export async function startDynamoDBLocal(options: DynamoDBLocalOptions = {}): Promise<DynamoDBLocal> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      // Another process took the port between our probe and the JVM's bind.
      if (err instanceof StartError && err.retryable && attempt < 5) continue;
      throw err;
    }
  }
}

/**
 * The launcher that binds DynamoDB Local to 127.0.0.1, run in Java's single-file
 * source mode. Needs the jdk.compiler module, which JDKs and Debian's JRE have but
 * some slimmed-down JREs lack; then the plain jar runs instead, with a warning.
 */
const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./LoopbackDynamoDB.java', import.meta.url));

/** Output of a JVM that could not run the launcher's source (no jdk.compiler). */
function launcherUnsupported(output: string): boolean {
  return /jdk\.compiler|source-file mode|Could not find or load main class .*LoopbackDynamoDB/i.test(output);
}

async function startOnce(options: DynamoDBLocalOptions): Promise<DynamoDBLocal> {
  try {
    return await startJvm(options, true);
  } catch (err) {
    // Costs one short-lived JVM per start on such a Java; npm start starts one store.
    if (!(err instanceof StartError && err.launcherUnsupported)) throw err;
    console.warn(
      'WARNING: this Java cannot run local/LoopbackDynamoDB.java (it lacks the jdk.compiler module), so DynamoDB Local ' +
        'listens on every network interface. Install a full JDK 17+ to keep its port off the network.',
    );
    return startJvm(options, false);
  }
}

/** Moves the database earlier versions shared between all callers to the keyed file, once. */
async function migrateSharedDb(dbPath: string, accessKeyId: string): Promise<void> {
  const shared = join(dbPath, SHARED_DB_FILE);
  const keyed = join(dbPath, keyedDbFile(accessKeyId));
  if (existsSync(shared) && !existsSync(keyed)) await rename(shared, keyed);
}

async function startJvm(options: DynamoDBLocalOptions, loopback: boolean): Promise<DynamoDBLocal> {
  const emulator = emulatorDir();
  const port = await freePort();
  const dbPath = options.dbPath ? resolve(options.dbPath) : undefined;
  if (dbPath) {
    await mkdir(dbPath, { recursive: true, mode: 0o700 });
    if (options.accessKeyId) await migrateSharedDb(dbPath, options.accessKeyId);
  }
  const credentials = credentialsFor(options.accessKeyId);
  // The jar writes dynamodb-local-metadata.json into its working directory; keep it
  // out of the repo: next to the data, or in a temp dir removed on stop.
  const cwd = dbPath ?? (await mkdtemp(join(tmpdir(), 'dynamodb-local-')));
  const removeCwd = dbPath ? async () => {} : () => rm(cwd, { recursive: true, force: true });

  const java = javaCommand();
  const jar = join(emulator, 'DynamoDBLocal.jar');
  const args = [
    ...(options.javaOptions ?? []),
    `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
    // The jar's manifest brings DynamoDBLocal_lib/ onto the class path either way.
    ...(loopback ? ['-cp', jar, LOOPBACK_LAUNCHER] : ['-jar', jar]),
    ...(options.accessKeyId ? [] : ['-sharedDb']),
    '-disableTelemetry',
    '-port',
    String(port),
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
  ];
  // The JVM creates the database files; a umask of 077 keeps them the owner's alone.
  // `$0` is java, so a missing java still shows as exit 127 rather than a spawn error.
  const child =
    process.platform === 'win32'
      ? spawn(java, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', java, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  installExitHooks();
  live.add(child);

  // Keep draining both pipes (a full pipe would block the JVM) but remember only the tail.
  let output = '';
  let bindFailed = false;
  let configPrinted = false;
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8192);
    if (/BindException|Failed to bind/.test(output)) bindFailed = true;
    if (output.includes('CorsParams')) configPrinted = true;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let spawnError: NodeJS.ErrnoException | undefined;
  child.once('error', (err) => (spawnError = err));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  void exited.then(() => live.delete(child));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && !spawnError) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      live.delete(child);
      await removeCwd();
    })());

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2000 },
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (spawnError) {
        throw spawnError.code === 'ENOENT'
          ? javaMissing(java)
          : new StartError(`Could not start DynamoDB Local with "${java}": ${spawnError.message}`);
      }
      // The JVM stays alive after a failed bind, so its exit can't be what tells us.
      if (bindFailed) throw new StartError(`DynamoDB Local could not bind port ${port}`, true);
      if (child.exitCode !== null || child.signalCode !== null) {
        // 127: the shell found no java to exec.
        if (child.exitCode === 127 && process.platform !== 'win32') throw javaMissing(java);
        if (loopback && !configPrinted && launcherUnsupported(output)) {
          throw new StartError(`Java could not run the loopback launcher:\n${output}`, false, true);
        }
        throw new StartError(
          `DynamoDB Local exited (${child.exitCode ?? child.signalCode}) before it answered. ` +
            `It needs Java 17 or newer. Its output:\n${output}`,
        );
      }
      if (Date.now() > deadline) {
        throw new StartError(`DynamoDB Local did not answer on ${endpoint} within the timeout. Its output:\n${output}`);
      }
      // Only after the JVM printed its config can an answer on this port be its own.
      if (configPrinted) {
        try {
          await client.send(new ListTablesCommand({ Limit: 1 }));
          if (!bindFailed) break;
        } catch {
          // not listening yet
        }
      }
      await sleep(100);
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    client.destroy();
  }

  return { endpoint, credentials, pid: child.pid!, stop };
}

function isReady(t: TableDescription | undefined): boolean {
  return t?.TableStatus === 'ACTIVE' && (t.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
}

async function waitActive(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (isReady(Table)) return Table!;
    if (Date.now() > deadline) throw new Error(`Table ${tableName} did not become ACTIVE`);
    await sleep(100);
  }
}

/**
 * Creates the club's table if missing and waits until it and its indexes are ACTIVE.
 * A data dir kept from an older version may lack an index added since; those are
 * created too, so `npm start` on old data keeps working.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const wanted = createTableInput(tableName);
  let table: TableDescription | undefined;
  try {
    table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
    try {
      await client.send(new CreateTableCommand(wanted));
    } catch (createErr) {
      // Someone else (a parallel test file) created it first: fine.
      if (!(createErr instanceof ResourceInUseException)) throw createErr;
    }
  }
  table = await waitActive(client, tableName);
  // A table made before the stream was the outbox gets it now.
  if (!table.StreamSpecification?.StreamEnabled) {
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: wanted.StreamSpecification }));
    table = await waitActive(client, tableName);
  }

  const have = new Set((table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const gsi of wanted.GlobalSecondaryIndexes) {
    if (have.has(gsi.IndexName)) continue;
    // One index per UpdateTable, as DynamoDB requires.
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: gsi }],
      }),
    );
    await waitActive(client, tableName);
  }
  // As the stack's table: short-lived items (sign-in codes, rate windows) expire by TTL.
  if (!(await ttlEnabled(client, tableName))) {
    try {
      await client.send(
        new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }),
      );
    } catch (err) {
      // Another starter enabled it between the check and this call: fine.
      if (!(await ttlEnabled(client, tableName))) throw err;
    }
  }
}

async function ttlEnabled(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const out = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = out.TimeToLiveDescription?.TimeToLiveStatus;
  return status === 'ENABLED' || status === 'ENABLING';
}
