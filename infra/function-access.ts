import type { FunctionName } from '../functions/routes';
import type { TableAccess } from './constructs/club-table';

/**
 * What each route function may do to the table. A Record so a new FunctionName
 * fails the typecheck here until someone decides its access, instead of
 * silently inheriting read-write. Secret access isn't listed: it follows from
 * the function serving a route with auth 'token' (see functions/routes.ts).
 */
export const TABLE_ACCESS: Record<FunctionName, TableAccess> = {
  health: 'none',
  members: 'readWrite',
  earn: 'readWrite',
  refunds: 'readWrite',
  redeem: 'readWrite',
  'admin-program': 'readWrite',
  'admin-jobs': 'readWrite',
  notifications: 'readWrite',
  rewards: 'readWrite',
  // Only puts deliveries on the queue (sqs:SendMessage, granted by the webhook queue construct).
  webhooks: 'none',
  deliveries: 'readWrite',
  'admin-members': 'read',
  me: 'readWrite',
  reports: 'read',
};
