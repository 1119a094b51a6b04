/**
 * Every HTTP route of the club and the function that serves it, where the stack,
 * the local server and the tests have always found them. The facts live in the
 * route registry: shared/http/route-table.ts (function, auth, role) and
 * shared/http/route-registry.ts (operationId, schemas, answers).
 */
export {
  FUNCTION_NAMES,
  ROUTE_TABLE,
  ROUTES,
  routeKey,
  routeOf,
  type FunctionName,
  type HttpMethod,
  type RouteAuth,
  type RouteKey,
  type RouteSpec,
} from '../shared/http/route-table';
