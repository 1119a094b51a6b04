/** POST /v1/admin/jobs/{job}/run: run a scheduled job now, as if the clock read asOf. */
import { runJob } from '../shared/club/jobs';
import { json } from '../shared/http/errors';
import { jobRuntime } from '../shared/http/job-runtime';
import { input, jsonBody, routeTable } from '../shared/http/route-handler';
import { JobPathParams, RunJobBody } from '../shared/schemas/jobs';

// Behind API Gateway (30 s, this function 10 s) a big run returns a continuation instead of timing out.
// The local server gives handlers the same 10 s (local/server.ts), so the budget holds there too.
const BUDGET_MS = 7_000;

export const handler = routeTable({
  'POST /v1/admin/jobs/{job}/run': async (req) => {
    const { job } = input(JobPathParams, req.params, 'path');
    const body = input(RunJobBody, jsonBody(req), 'body');
    const started = Date.now();
    const result = await runJob(jobRuntime().deps, job, {
      asOf: body.asOf ? new Date(body.asOf) : req.deps.now(),
      continuation: body.continuation,
      shouldStop: () => Date.now() - started > BUDGET_MS,
    });
    return json(200, result);
  },
});
