/**
 * Every HTTP route of the club and the function that serves it. The facts of each
 * route (auth, role, schemas, answers) live in shared/http/route-registry.ts; this
 * module is where the stack, the local server and the tests have always found them.
 */
export {
  FUNCTION_NAMES,
  ROUTE_REGISTRY,
  ROUTES,
  routeKey,
  routeOf,
  type FunctionName,
  type HttpMethod,
  type RouteAuth,
  type RouteKey,
  type RouteSpec,
} from '../shared/http/route-registry';
