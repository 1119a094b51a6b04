/**
 * The context Lambda hands a handler, for the handlers `npm start` invokes: the
 * routes (local/server.ts), the jobs and the notifier (local/automations.ts).
 * getRemainingTimeInMillis() counts down from the function's timeout as on AWS,
 * so the handlers' deadlines mean the same here.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { LOCAL_REGION } from './dynamodb-local';

/** The functions' timeouts in the stack: routes (infra/constructs/club-function.ts), jobs and notifier (club-automations.ts). */
export const FUNCTION_TIMEOUT_MS = { route: 10_000, jobs: 5 * 60_000, notifier: 30_000 } as const;

export function lambdaContext(fn: string, timeoutMs: number, requestId: string = randomUUID()): Context {
  const deadline = Date.now() + timeoutMs;
  const functionName = `loyalty-local-${fn}`;
  const unsupported = () => {
    throw new Error('callback-style Lambda context methods are not supported; return a result instead');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
