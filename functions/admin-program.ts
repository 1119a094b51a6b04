/** The store's program: read, edit (optimistic concurrency), history, calendar and the dry-run simulator. */
import { releasePendingPoints } from '../shared/club/pending';
import { launchProgram } from '../shared/club/pilot';
import { simulate } from '../shared/club/program-simulator';
import { checkPrizesAvailable } from '../shared/domain/challenges';
import { DomainError } from '../shared/domain/errors';
import { displayUnitOf } from '../shared/domain/currency';
import { campaignCalendar, type Program } from '../shared/domain/program';
import { json } from '../shared/http/errors';
import { actorHeader, actorOf } from '../shared/http/staff';
import { input, jsonBody, routeTable, type ClubRequest } from '../shared/http/route-handler';
import { CalendarQuery, LaunchBody, PutProgramBody, ReleaseBody, SimulateBody, VersionsQuery } from '../shared/schemas/program';

function programs(req: ClubRequest) {
  return req.deps.programs;
}

export function programView(p: Program) {
  const { version, updatedAt, updatedBy, ...rules } = p;
  // The unit the pages show money in, filled in when the program leaves it to the currency.
  return { version, updatedAt: updatedAt ?? null, updatedBy: updatedBy ?? null, ...rules, ...displayUnitOf(p) };
}

const etag = (p: Program) => ({ etag: `"${p.version}"` });

/** If-Match: "3", W/"3" or 3. */
function ifMatch(header: string | undefined): number | undefined {
  const m = header ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim()) : null;
  return m ? Number(m[1]) : undefined;
}

/** The version an edit starts from: the body's, else If-Match; required. */
function expectedVersionOf(req: ClubRequest, fromBody: number | undefined): number {
  const expected = fromBody ?? ifMatch(req.headers['if-match']);
  if (expected === undefined) {
    throw new DomainError('VALIDATION_FAILED', 'say which version this edit starts from', [
      { path: 'body.expectedVersion', message: 'required (or an If-Match header with the version GET returned)' },
    ]);
  }
  return expected;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A program document without what only a GET tells (and without `also`: a PUT reads the version as If-Match). */
function withoutReadOnly(raw: unknown, ...also: string[]): Record<string, unknown> {
  const rest = { ...(isObject(raw) ? raw : {}) };
  for (const k of ['updatedAt', 'updatedBy', 'displayRate', ...also]) delete rest[k];
  return rest;
}

export const handler = routeTable({
  'GET /v1/admin/program': async (req) => {
    const program = await programs(req).fresh();
    return json(200, programView(program), etag(program));
  },

  'PUT /v1/admin/program': async (req) => {
    // A program read with GET can be sent straight back: its version is the one it was edited from.
    const { version, ...rest } = withoutReadOnly(jsonBody(req));
    const body = input(PutProgramBody, rest, 'body');
    const { expectedVersion, ...rules } = body;
    const expected = expectedVersionOf(req, expectedVersion ?? (typeof version === 'number' ? version : undefined));
    checkPrizesAvailable(rules, req.deps.now());
    const saved = await programs(req).save(rules, expected, {
      updatedAt: req.deps.now().toISOString(),
      updatedBy: actorOf(req.staff, actorHeader(req.headers)),
    });
    return json(200, programView(saved), etag(saved));
  },

  'GET /v1/admin/program/versions': async (req) => {
    const q = input(VersionsQuery, req.query, 'query');
    const page = await programs(req).versions({ limit: q.limit, before: q.cursor ? Number(q.cursor) : undefined });
    return json(200, { items: page.items.map(programView), nextCursor: page.nextCursor ?? null });
  },

  'POST /v1/admin/program/simulate': async (req) => {
    const raw = jsonBody(req);
    // The candidate may be a program as GET answers it, as a PUT's body may.
    const candidate = isObject(raw) && isObject(raw.program) ? { ...raw, program: withoutReadOnly(raw.program, 'version') } : raw;
    const body = input(SimulateBody, candidate, 'body');
    return json(200, await simulate(req.deps, programs(req), body));
  },

  'POST /v1/admin/program/launch': async (req) => {
    const body = input(LaunchBody, jsonBody(req), 'body');
    const report = await launchProgram(req.deps, programs(req), {
      expectedVersion: expectedVersionOf(req, body.expectedVersion),
      retroactiveFrom: body.retroactiveFrom,
      updatedBy: actorOf(req.staff, actorHeader(req.headers)),
    });
    return json(200, { ...report, program: programView(report.program) }, etag(report.program));
  },

  'POST /v1/admin/program/release-pending': async (req) => {
    const { asOf } = input(ReleaseBody, jsonBody(req), 'body');
    return json(200, await releasePendingPoints(req.deps, asOf ? new Date(asOf) : req.deps.now()));
  },

  'GET /v1/admin/campaigns/calendar': async (req) => {
    const { year } = input(CalendarQuery, req.query, 'query');
    const program = await programs(req).fresh();
    return json(200, { year, timeZone: program.timeZone, programVersion: program.version, months: campaignCalendar(program, year) });
  },
});
