/**
 * What every Lambda entry point shares (the routes, the webhook consumer, the
 * jobs, the notifier): one Powertools logger, and middy carrying the invocation's
 * context into it, so each log line names the function, the request id and
 * whether it was a cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

/** The service every log line and cost metric is filed under. */
export const SERVICE = 'loyalty-club';

/** Structured JSON lines (CloudWatch on AWS, stdout locally). Never give it a secret, an address or a message's text. */
export const logger = new Logger({ serviceName: SERVICE });

export function lambdaHandler<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  // No early timeout from middy: it answers an error while the handler goes on (and may commit).
  // The handler stops itself by the deadline instead; past the timeout Lambda kills it.
  // resetKeys: a key one invocation appended never rides into the next one's lines.
  return middy<E, R>(handler, { timeoutEarlyInMillis: 0 }).use(injectLambdaContext(logger, { resetKeys: true }));
}
