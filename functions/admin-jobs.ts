/** POST /v1/admin/jobs/{job}/run: run a scheduled job now, as if the clock read asOf. */
import { runJob } from '../shared/club/jobs';
import { json } from '../shared/http/errors';
import { input, jsonBody, routeTable } from '../shared/http/route-handler';
import { JobPathParams, RunJobBody } from '../shared/schemas/jobs';
import { wiring } from '../shared/wiring';

// Behind API Gateway (30 s, this function 10 s) a big run returns a continuation instead of timing out:
// it stops taking members with this much of the invocation left, for the ones in flight and the answer.
// The local server gives handlers the same 10 s, counting down (local/server.ts), so the budget holds there too.
const RESERVE_MS = 3_000;
/** Without an invocation's deadline (a direct call): the run's own budget. */
const BUDGET_MS = 7_000;

export const handler = routeTable({
  'POST /v1/admin/jobs/{job}/run': async (req) => {
    const { job } = input(JobPathParams, req.params, 'path');
    const body = input(RunJobBody, jsonBody(req), 'body');
    const started = Date.now();
    const { remainingMs } = req.deps;
    const result = await runJob({ ...wiring().jobs, ...(remainingMs && { remainingMs }) }, job, {
      asOf: body.asOf ? new Date(body.asOf) : req.deps.now(),
      continuation: body.continuation,
      shouldStop: remainingMs ? () => remainingMs() < RESERVE_MS : () => Date.now() - started > BUDGET_MS,
    });
    return json(200, result);
  },
});
