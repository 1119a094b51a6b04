/**
 * Staff's view of every member, page by page (the CLI's `export members`):
 * the member directory is queried shard by shard, never scanned.
 */
import { json } from '../shared/http/errors';
import { input, routeTable } from '../shared/http/route-handler';
import { memberView } from '../shared/http/views';
import { MemberListQuery } from '../shared/schemas/admin-members';
import { DynamoMemberDirectory } from '../shared/store/member-directory';
import { wiring } from '../shared/wiring';

export const handler = routeTable({
  'GET /v1/admin/members': async (req) => {
    const query = input(MemberListQuery, req.query, 'query');
    const { db, config } = wiring();
    const [page, program] = await Promise.all([
      new DynamoMemberDirectory(db, config.tableName).list({ limit: query.limit, cursor: query.cursor }),
      req.deps.program(),
    ]);
    const now = req.deps.now();
    return json(200, { items: page.items.map((m) => memberView(m, program, now)), nextCursor: page.nextCursor ?? null });
  },
});
