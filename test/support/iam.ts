/**
 * Reading a synthesized template as Lambda would see it: each function's
 * environment with every reference resolved to a made-up but well-formed
 * physical id, its role's statements resolved the same way, and a small IAM
 * evaluator (actions and resources with wildcards, the LeadingKeys condition)
 * to ask whether a command the handler sent would have been allowed.
 */
export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';

/** Made-up physical ids for a template's resources; `tableName` is the table the test really created. */
export class TemplateResolver {
  constructor(
    private readonly json: any,
    private readonly tableName: string,
    /** Pseudo parameters of the deployment (AWS::AccountId, AWS::StackId, ...) over the defaults. */
    private readonly pseudo: Record<string, string> = {},
  ) {}

  private resource(id: string): any {
    const r = this.json.Resources[id];
    if (!r) throw new Error(`no resource ${id} in the template`);
    return r;
  }

  ref(id: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'LoyaltyClub-test',
      'AWS::StackId': `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/LoyaltyClub-test/1b2c3d4e-0000-4000-8000-000000000000`,
      ...this.pseudo,
    };
    if (pseudo[id]) return pseudo[id];
    const r = this.resource(id);
    switch (r.Type) {
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return this.tableName;
      case 'AWS::SQS::Queue':
        return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${id}`;
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}-AbCdEf`;
      case 'AWS::Events::EventBus':
        return r.Properties.Name;
      case 'AWS::Cognito::UserPool':
        return `${REGION}_${id.slice(0, 9)}`;
      default:
        return id.toLowerCase();
    }
  }

  getAtt(id: string, attr: string): string {
    const r = this.resource(id);
    if (attr === 'Arn') {
      switch (r.Type) {
        case 'AWS::DynamoDB::GlobalTable':
        case 'AWS::DynamoDB::Table':
          return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${this.tableName}`;
        case 'AWS::SQS::Queue':
          return `arn:aws:sqs:${REGION}:${ACCOUNT}:${id}`;
        case 'AWS::Events::EventBus':
          return `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${r.Properties.Name}`;
        case 'AWS::Lambda::Function':
          return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`;
        case 'AWS::Logs::LogGroup':
          return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${id}:*`;
        default:
          // AWS::Service::Thing -> arn:aws:service:<region>:<account>:<id>: nothing the handlers call.
          return `arn:aws:${String(r.Type).split('::')[1]!.toLowerCase()}:${REGION}:${ACCOUNT}:${id}`;
      }
    }
    // The stream processor's role reads the stream (the event source mapping polls with it).
    if (attr === 'StreamArn') return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${this.tableName}/stream/2026-01-01T00:00:00.000`;
    if (attr === 'QueueName') return id;
    if (attr === 'DomainName') return `${id.toLowerCase()}.cloudfront.net`;
    throw new Error(`the test can't resolve ${id}.${attr} (${r.Type})`);
  }

  resolve(value: any): any {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    if ('Ref' in value) return this.ref(value.Ref);
    if ('Fn::GetAtt' in value) return this.getAtt(value['Fn::GetAtt'][0], value['Fn::GetAtt'][1]);
    if ('Fn::Join' in value) return (this.resolve(value['Fn::Join'][1]) as string[]).join(value['Fn::Join'][0]);
    if ('Fn::Select' in value) return (this.resolve(value['Fn::Select'][1]) as string[])[Number(this.resolve(value['Fn::Select'][0]))];
    if ('Fn::Split' in value) return String(this.resolve(value['Fn::Split'][1])).split(value['Fn::Split'][0]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
  }

  /** The function's environment variables as Lambda hands them to the process. */
  environmentOf(functionId: string): Record<string, string> {
    return this.resolve(this.resource(functionId).Properties.Environment?.Variables ?? {});
  }

  /** Every statement of every policy attached to the function's role, resolved. */
  statementsOf(functionId: string): Statement[] {
    const roleId = this.resource(functionId).Properties.Role['Fn::GetAtt'][0] as string;
    return Object.values(this.json.Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .map((s) => this.resolve(s));
  }
}

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** One permission a request needs: the action, the resource, and (DynamoDB) the partition keys it touches. */
export interface Need {
  readonly action: string;
  readonly resource: string;
  readonly leadingKeys?: readonly string[];
}

const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\?/g, '.'))
      .join('.*')}$`,
  ).test(value);

/** Whether an Allow statement grants the need; conditions other than the ones the club uses count as not granting. */
export function allows(statements: readonly Statement[], need: Need): boolean {
  return statements.some((s) => {
    if (s.Effect !== 'Allow') return false;
    if (!asArray(s.Action).some((a) => glob(a, need.action))) return false;
    if (!asArray(s.Resource).some((r) => glob(r, need.resource))) return false;
    if (!s.Condition) return true;
    return Object.entries(s.Condition).every(([op, keys]) =>
      Object.entries(keys).every(([key, allowed]) => {
        if (op === 'ForAllValues:StringEquals' && key === 'dynamodb:LeadingKeys') {
          return need.leadingKeys?.every((k) => asArray(allowed).includes(k));
        }
        if (op === 'ForAllValues:StringLike' && key === 'dynamodb:LeadingKeys') {
          return need.leadingKeys?.every((k) => asArray(allowed).some((pattern) => glob(pattern, k)));
        }
        return false;
      }),
    );
  });
}
