import {
  AttributeType,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
  type GlobalSecondaryIndexPropsV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BILLED_COSTS_PK, COUNTED_PREFIX, COUNTERS_PREFIX, identityPartitionPrefixes, PARKED_EVENTS_PK } from '../../shared/store/keys';
import { ALL_INDEXES, STREAM_VIEW_TYPE, TABLE_KEYS, TTL_ATTRIBUTE } from '../../shared/store/table-definition';
import type { StageConfig } from '../stage-config';

/**
 * What a function may do to the table. Deliberately no 'full': nothing in the
 * club needs Scan (every read goes through a key or an index) or table admin.
 */
export type TableAccess = 'none' | 'read' | 'readUpdate' | 'readWrite';

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
// IAM has no TransactWriteItems/TransactGetItems action: a transaction is authorised
// item by item through these (Put, Update, Delete, ConditionCheck; Get).
const UPDATE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
const REMOVE_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export const TABLE_ACTIONS: Record<TableAccess, readonly string[]> = {
  none: [],
  read: READ_ACTIONS,
  // Adds and changes items, never removes one or writes in bulk (the member page).
  readUpdate: [...READ_ACTIONS, ...UPDATE_ACTIONS],
  readWrite: [...READ_ACTIONS, ...UPDATE_ACTIONS, ...REMOVE_ACTIONS],
};

export interface ClubTableProps {
  readonly config: StageConfig;
}

/** The club's one table, built from shared/store/table-definition.ts so local and AWS can't drift. */
export class ClubTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: ClubTableProps) {
    super(scope, id);
    const { config } = props;

    const str = (name: string) => ({ name, type: AttributeType.STRING });
    const globalSecondaryIndexes: GlobalSecondaryIndexPropsV2[] = ALL_INDEXES.map((i) => ({
      indexName: i.indexName,
      partitionKey: str(i.partitionKey),
      sortKey: str(i.sortKey),
      projectionType: i.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
    }));

    this.table = new TableV2(this, 'Table', {
      partitionKey: str(TABLE_KEYS.partitionKey),
      sortKey: str(TABLE_KEYS.sortKey),
      globalSecondaryIndexes,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // The outbox of the domain events (shared/store/table-definition.ts says why both images).
      dynamoStream: StreamViewType[STREAM_VIEW_TYPE],
      // TableV2's default billing is on-demand: a loyalty club's traffic follows
      // the shop's, spiky and mostly idle, which is what on-demand prices well.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS-managed key (aws/dynamodb) rather than the invisible owned key: key
      // use shows up in CloudTrail, yet there is no key policy to run and no monthly
      // CMK fee for a self-hosting shop. A CMK can replace it later without new data.
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: config.isProd,
      ...(config.tableWarmThroughput && { warmThroughput: config.tableWarmThroughput }),
      removalPolicy: config.removalPolicy,
    });
  }

  /**
   * Grants exactly what `access` names, on the table and its named indexes (no
   * `index/*` wildcard, so a future index isn't readable until it is in the
   * shared definition).
   */
  grant(grantee: IGrantable, access: TableAccess): void {
    if (access === 'none') return;
    const tableArn = this.table.tableArn;
    const indexArns = ALL_INDEXES.map((i) => `${tableArn}/index/${i.indexName}`);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...TABLE_ACTIONS[access]], resources: [tableArn, ...indexArns] }),
    );
  }

  /**
   * A publisher parks the events the bus refused with one BatchWriteItem
   * (shared/store/event-parking.ts). A function without bulk writes gets it for
   * the parked-events partition only (dynamodb:LeadingKeys), nothing else.
   */
  /**
   * The costs report keeps Cost Explorer's answer for the day (shared/store/bill-cache-store.ts):
   * a PutItem in the `BILLED` partition only, for a function that otherwise only reads.
   */
  grantBillKeeping(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [BILLED_COSTS_PK] } },
      }),
    );
  }

  /**
   * A function that only adds and changes items (readUpdate) but edits profiles: a rename
   * deletes the old name's index items and a contact change the claims it gives up. DeleteItem
   * in those partitions only (dynamodb:LeadingKeys), nothing else.
   */
  grantIdentityRemoval(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:DeleteItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': identityPartitionPrefixes().map((p) => `${p}*`) } },
      }),
    );
  }

  /**
   * The stream processor adds the report counters: Put (a counted record's marker) and
   * Update (a counter item) in those two partitions' families only, nothing else in the table.
   */
  grantReportCounting(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${COUNTERS_PREFIX}*`, `${COUNTED_PREFIX}*`] } },
      }),
    );
  }

  grantEventParking(grantee: IGrantable, access: TableAccess): void {
    if (TABLE_ACTIONS[access].includes('dynamodb:BatchWriteItem')) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchWriteItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [PARKED_EVENTS_PK] } },
      }),
    );
  }
}
