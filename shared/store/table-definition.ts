/**
 * The one table's shape, shared by the CDK stack and the local runtime so that
 * what runs on a laptop is the table that runs on AWS. Key design: docs/data-model.md.
 */
export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** Attributes copied into the index besides the keys; empty means KEYS_ONLY. */
  readonly projection: 'ALL' | 'KEYS_ONLY';
  readonly purpose: string;
}

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * The table's time-to-live attribute (epoch seconds): items that only matter for a
 * while (sign-in codes, rate-limit windows) carry it and DynamoDB removes them
 * after it passes. The removal is lazy (up to days late), so readers still check
 * their own expiry.
 */
export const TTL_ATTRIBUTE = 'ttl';

export const INDEXES = {
  /** A member's ledger, newest first: gsi1pk = MEMBER#<id>, gsi1sk = LEDGER#<seq>. */
  ledger: {
    indexName: 'gsi1-ledger',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    projection: 'ALL',
    purpose: "a member's ledger entries in the order they were applied",
  },
  /** Sparse: members holding points that expire in a month: EXPIRY#<yyyy-mm>. */
  expiry: {
    indexName: 'gsi2-expiry',
    partitionKey: 'gsi2pk',
    sortKey: 'gsi2sk',
    projection: 'KEYS_ONLY',
    purpose: 'members whose oldest points lot expires in a given month',
  },
  /** Sparse: members by the day of their last purchase: ACTIVE#<yyyy-mm-dd>. */
  activity: {
    indexName: 'gsi3-activity',
    partitionKey: 'gsi3pk',
    sortKey: 'gsi3sk',
    projection: 'KEYS_ONLY',
    purpose: 'members whose last purchase fell on a given day (re-engagement)',
  },
  /** Sparse: members by birthday: BIRTHDAY#<mm-dd>. */
  birthday: {
    indexName: 'gsi4-birthday',
    partitionKey: 'gsi4pk',
    sortKey: 'gsi4sk',
    projection: 'KEYS_ONLY',
    purpose: 'members whose birthday falls on a given month-day',
  },
  /** Sparse: members above the base tier by the day their tier is kept until: TIERREVIEW#<yyyy-mm-dd>. */
  tierReview: {
    indexName: 'gsi5-tier-review',
    partitionKey: 'gsi5pk',
    sortKey: 'gsi5sk',
    projection: 'KEYS_ONLY',
    purpose: 'members whose tier is kept until a given day (the scheduled tier review)',
  },
} as const satisfies Record<string, IndexDefinition>;

export const ALL_INDEXES: readonly IndexDefinition[] = Object.values(INDEXES);

/** Attributes used as keys anywhere; all strings. */
export const KEY_ATTRIBUTES: readonly string[] = [
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  ...ALL_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey]),
];

/**
 * The table's stream is the outbox of the domain events (shared/events/stream-events.ts).
 * Old and new images: a closed reward code and a tier review are told by what
 * the item was before, not only by what it is now.
 */
export const STREAM_VIEW_TYPE = 'NEW_AND_OLD_IMAGES' as const;

/** The same definition as a CreateTable input, for the local runtime and tests. */
export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
    AttributeDefinitions: KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: ALL_INDEXES.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: i.projection },
    })),
  };
}
