/** The webhook consumer's and the delivery admin's dependencies, built once per cold start. */
import { clubRuntime } from '../http/runtime';
import { createDocumentClient } from '../store/client';
import { DynamoDeliveryStore } from '../store/delivery-store';
import type { WebhookDeps } from './process';

let deps: { key: string; value: WebhookDeps } | undefined;

export function webhookDeps(): WebhookDeps {
  const { config, deps: club } = clubRuntime();
  const key = `${config.dynamodbEndpoint ?? ''}|${config.tableName}`;
  if (!deps || deps.key !== key || deps.value.club !== club) {
    const db = createDocumentClient({ endpoint: config.dynamodbEndpoint });
    deps = { key, value: { club, deliveries: new DynamoDeliveryStore(db, config.tableName) } };
  }
  return deps.value;
}
