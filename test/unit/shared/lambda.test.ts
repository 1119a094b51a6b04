import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { routeTable } from '../../../shared/http/route-handler';
import { lambdaHandler, logger } from '../../../shared/lambda';

const context = (fn: string, requestId: string) =>
  ({
    functionName: fn,
    awsRequestId: requestId,
    memoryLimitInMB: '512',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:1:function:${fn}`,
    getRemainingTimeInMillis: () => 10_000,
  }) as unknown as Context;

/** The JSON lines the logger writes while fn runs (stdout and stderr). */
async function logLines(fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await fn();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe('every handler logs with its Lambda context', () => {
  it('names the function and the request, and says whether it was a cold start', async () => {
    const handler = lambdaHandler(async (event: { n: number }) => {
      logger.info('working', { n: event.n });
      return event.n;
    });
    const first = await logLines(() => handler({ n: 1 }, context('loyalty-jobs', 'req-1')));
    const second = await logLines(() => handler({ n: 2 }, context('loyalty-jobs', 'req-2')));
    // cold_start is true only for Lambda's first on-demand invocation (it sets AWS_LAMBDA_INITIALIZATION_TYPE); here it is always false.
    expect(first).toEqual([
      expect.objectContaining({
        message: 'working',
        n: 1,
        function_name: 'loyalty-jobs',
        function_request_id: 'req-1',
        cold_start: false,
        service: 'loyalty-club',
      }),
    ]);
    expect(second).toEqual([
      expect.objectContaining({ message: 'working', n: 2, function_name: 'loyalty-jobs', function_request_id: 'req-2', cold_start: false }),
    ]);
  });

  it("a route's unexpected failure is logged with its request id; the caller gets the contract's 500 and no detail", async () => {
    // A route only the registry may declare; the open health route fails here for the test's sake.
    const handler = routeTable({
      'GET /health': async () => {
        throw new Error('disk on fire');
      },
    });
    let answer: { statusCode?: number; body?: string } = {};
    const lines = await logLines(async () => {
      answer = (await handler(
        { routeKey: 'GET /health', headers: {}, requestContext: { requestId: 'gw-1' } } as unknown as APIGatewayProxyEventV2,
        context('loyalty-boom', 'req-9'),
      )) as typeof answer;
    });
    expect(answer.statusCode).toBe(500);
    expect(answer.body).not.toContain('disk on fire');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'request failed',
        routeKey: 'GET /health',
        function_name: 'loyalty-boom',
        function_request_id: 'req-9',
      }),
    ]);
  });
});
