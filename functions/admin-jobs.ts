/** POST /v1/admin/jobs/{job}/run: run a scheduled job now, as if the clock read asOf. */
import { runJob } from '../shared/club/jobs';
import { json } from '../shared/http/errors';
import { input, jsonBody, routeTable, stopBeforeDeadline } from '../shared/http/route-handler';
import { JobPathParams, RunJobBody } from '../shared/schemas/jobs';
import { wiring } from '../shared/wiring';

export const handler = routeTable({
  'POST /v1/admin/jobs/{job}/run': async (req) => {
    const { job } = input(JobPathParams, req.params, 'path');
    const body = input(RunJobBody, jsonBody(req), 'body');
    const { remainingMs } = req.deps;
    const result = await runJob({ ...wiring().jobs, ...(remainingMs && { remainingMs }) }, job, {
      asOf: body.asOf ? new Date(body.asOf) : req.deps.now(),
      continuation: body.continuation,
      // A big run returns a continuation instead of timing out.
      shouldStop: stopBeforeDeadline(req),
    });
    return json(200, result);
  },
});
