/**
 * Runs once per `vitest run` in the main process: the run's one DynamoDB Local. Its data
 * is in files on tmpfs (/dev/shm where there is one), one database per access key id
 * (no -sharedDb), and startTestClub gives each test file a key of its own: DynamoDB
 * Local slows every write to a stream table by the stream records of the stream tables
 * made before it in the same database (scripts/stream-local-writes.ts), and every club's
 * table carries the stream its events come from. In a database of its own each file's
 * table is the first; one JVM, started once, serves them all.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { QUICK_START_JAVA_OPTIONS, startDynamoDBLocal } from '../../local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the run's DynamoDB Local. */
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // One temp dir for the run, removed at its end: the workers (forked after this) and what they start (the
  // CLI, the clubs, Chromium's profiles) make theirs in it, so a run leaves nothing in /tmp, whatever a
  // helper forgot or a killed child could not remove.
  const runTmp = await mkdtemp(join(tmpdir(), 'loyalty-test-run-'));
  process.env.TMPDIR = runTmp;
  const dbPath = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : runTmp, 'loyalty-tests-'));
  const store = await startDynamoDBLocal({ javaOptions: QUICK_START_JAVA_OPTIONS, dbPath, accessKeyId: 'LOYALTYTESTS' });
  project.provide('dynamodbEndpoint', store.endpoint);
  return async () => {
    await store.stop();
    await rm(dbPath, { recursive: true, force: true });
    await rm(runTmp, { recursive: true, force: true });
  };
}
