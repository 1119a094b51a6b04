/**
 * Runs once per `vitest run` in the main process: one in-memory DynamoDB Local for
 * the tests that start clubs on a given store (local-runtime). startTestClub gives
 * each file a store of its own (test/support/club.ts says why).
 */
import type { TestProject } from 'vitest/node';
import { QUICK_START_JAVA_OPTIONS, startDynamoDBLocal } from '../../local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port> of the run's DynamoDB Local. */
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const store = await startDynamoDBLocal({ javaOptions: QUICK_START_JAVA_OPTIONS });
  project.provide('dynamodbEndpoint', store.endpoint);
  return () => store.stop();
}
