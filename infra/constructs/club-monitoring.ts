import { Aspects, Duration, Stack, Validations, type IAspect } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2, Operation } from 'aws-cdk-lib/aws-dynamodb';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IConstruct } from 'constructs';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_ALARM_OPERATIONS } from '../../shared/costs/monthly-floor';
import { COST_NAMESPACE, SMS_CAP_METRIC } from '../../shared/costs/request-cost';
import type { StageConfig } from '../stage-config';

export interface ClubMonitoringProps {
  readonly config: StageConfig;
  /** The EMF Service dimension the handlers write (shared/http/route-handler.ts). @default 'loyalty-club' */
  readonly service?: string;
}

/**
 * What operators and finance look at: a dashboard (where the stage deploys one) of requests' cost (the EMF
 * metrics every handler writes, docs/costs.md) and of each function's errors
 * and throttles, and alarms: per function on errors (one for all with errorAlarms=account), on Lambda throttles, per
 * dead-letter queue on depth, on the table's throttles, system errors and
 * transaction conflicts, on API 5xx, and on cost per day over the stage's budget.
 * Every alarm of the stack (these and the webhook pipeline's) notifies the
 * alarm topic, with an email subscription when context `alarmEmail` is set.
 */
export class ClubMonitoring extends Construct {
  /** Absent where the stage deploys none (StageConfig.dashboard): the alarms stay either way. */
  readonly dashboard?: Dashboard;
  readonly costAlarm: Alarm;
  readonly costPerDay: IMetric;
  /** The member page's daily SMS cap held a sign-in code back (shared/club/sign-in.ts). */
  readonly smsCapAlarm: Alarm;
  /** Throttled invocations of any function (account-wide: no function reserves concurrency). */
  readonly lambdaThrottles: Alarm;
  /** One per watched function: errors ≥ 1 in 5 minutes (none with errorAlarms=account). */
  readonly functionAlarms = new Map<string, Alarm>();
  /** Errors of any function, account-wide: only with errorAlarms=account, instead of one alarm per function. */
  readonly lambdaErrors?: Alarm;
  private readonly errorAlarms: StageConfig['errorAlarms'];
  /** Every alarm of the stack notifies this topic (docs/deploy.md: subscribe more than the email). */
  readonly alarmTopic: Topic;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: ClubMonitoringProps) {
    super(scope, id);
    const { config } = props;
    this.prefix = `loyalty-${config.stage}`;
    this.errorAlarms = config.errorAlarms;
    const service = props.service ?? 'loyalty-club';

    this.alarmTopic = new Topic(this, 'Alarms', { displayName: `Loyalty club alarms (${config.stage})`, enforceSSL: true });
    Validations.of(this.alarmTopic).acknowledge(
      {
        id: 'AwsSolutions-SNS2',
        reason:
          "CloudWatch alarms can't publish to a topic encrypted with the AWS-managed SNS key, and a customer key would cost the store a monthly fee for alarm texts that hold no member data.",
      },
      {
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'The only subscription is an email address; a message SNS cannot deliver there would land in a queue nobody reads, and the alarm itself stays in ALARM on the dashboard and in the CloudWatch console.',
      },
    );
    if (config.alarmEmail) {
      const subscription = new EmailSubscription(config.alarmEmail);
      this.alarmTopic.addSubscription(subscription);
    }
    // One place gives every alarm its action: an alarm added later can't be forgotten.
    const action = new SnsAction(this.alarmTopic);
    const notify: IAspect = { visit: (node: IConstruct) => void (node instanceof Alarm && node.addAlarmAction(action)) };
    Aspects.of(Stack.of(this)).add(notify);

    const costMicro = new Metric({
      namespace: COST_NAMESPACE,
      metricName: 'CostMicroUsd',
      dimensionsMap: { Service: service },
      statistic: 'Sum',
      period: Duration.days(1),
    });
    this.costPerDay = new MathExpression({
      label: 'USD per day',
      expression: 'cost / 1000000',
      usingMetrics: { cost: costMicro },
      period: Duration.days(1),
    });
    this.costAlarm = new Alarm(this, 'CostPerDay', {
      alarmName: `${this.prefix}-cost-per-day`,
      alarmDescription: `Requests cost more than ${config.dailyCostBudgetUsd} USD in a day at the list prices (shared/costs/prices.ts).`,
      metric: this.costPerDay,
      threshold: config.dailyCostBudgetUsd,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // The cap's metric is sent only when a code is held back: no data (and no bill) on other days.
    this.smsCapAlarm = new Alarm(this, 'SignInSmsCap', {
      alarmName: `${this.prefix}-sign-in-sms-cap`,
      alarmDescription:
        "The daily SMS cap (LOYALTY_SIGN_IN_DAILY_SMS_CAP) held member-page sign-in codes back: members can't sign in by SMS until the UTC day ends. A flood (look at the me function's log) or a cap too low for the club.",
      metric: new Metric({
        namespace: COST_NAMESPACE,
        metricName: SMS_CAP_METRIC,
        dimensionsMap: { Service: service },
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // No function reserves concurrency, so a throttle means the account's concurrency ran out:
    // one alarm on Lambda's account-wide Throttles (every function of the Region) instead of one per function.
    this.lambdaThrottles = new Alarm(this, 'LambdaThrottles', {
      alarmName: `${this.prefix}-lambda-throttles`,
      alarmDescription:
        "Lambda throttled invocations in the last 5 minutes: the account's concurrency ran out (each function's Throttles: the Lambda console, or the dashboard where the stage deploys one).",
      metric: new Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // One alarm for every function's errors, $0.10 a month instead of $0.10 per function: it names
    // no function (the Lambda console does) and counts every function of the account's Region.
    if (config.errorAlarms === 'account')
      this.lambdaErrors = new Alarm(this, 'LambdaErrors', {
        alarmName: `${this.prefix}-lambda-errors`,
        alarmDescription:
          'A Lambda function of the account failed (error, timeout, crash) in the last 5 minutes: find which in the Lambda console (context errorAlarms=account: one alarm for all).',
        metric: new Metric({ namespace: 'AWS/Lambda', metricName: 'Errors', statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });

    // $3.00 a month at list price: a stage setting (StageConfig.dashboard), off in prod.
    if (config.dashboard) this.dashboard = this.buildDashboard(config, service);
  }

  /** Cost, errors, throttles and units at a glance; the dead-letter queues add their depth (showQueue). */
  private buildDashboard(config: StageConfig, service: string): Dashboard {
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${this.prefix}-club` });
    const routeCost = new MathExpression({
      label: 'USD per route',
      expression: `SEARCH('{${COST_NAMESPACE},Service,Route} MetricName="CostMicroUsd" Service="${service}"', 'Sum', 86400) / 1000000`,
      usingMetrics: {},
      period: Duration.days(1),
    });
    const lambdaByFunction = (metric: string) =>
      new MathExpression({
        label: metric,
        // Free-text match on the stack name, which every function name of the stack starts with.
        expression: `SEARCH('{AWS/Lambda,FunctionName} MetricName="${metric}" ${Stack.of(this).stackName}', 'Sum', 300)`,
        usingMetrics: {},
        period: Duration.minutes(5),
      });
    dashboard.addWidgets(
      new TextWidget({
        markdown: `# Loyalty club (${config.stage})\nCost at the list prices dated in shared/costs/prices.ts; budget ${config.dailyCostBudgetUsd} USD/day.`,
        width: 24,
        height: 2,
      }),
      new SingleValueWidget({ title: 'Cost today (USD)', metrics: [this.costPerDay], width: 6 }),
      new GraphWidget({ title: 'Cost per day (USD)', left: [this.costPerDay], width: 9 }),
      new GraphWidget({ title: 'Cost per route per day (USD)', left: [routeCost], width: 9 }),
      new GraphWidget({ title: 'Lambda errors by function', left: [lambdaByFunction('Errors')], width: 8 }),
      new GraphWidget({ title: 'Lambda throttles by function', left: [lambdaByFunction('Throttles')], width: 8 }),
      new GraphWidget({
        title: 'DynamoDB units per 5 min',
        left: ['ReadUnits', 'WriteUnits'].map(
          (m) =>
            new Metric({
              namespace: COST_NAMESPACE,
              metricName: m,
              dimensionsMap: { Service: service },
              statistic: 'Sum',
              period: Duration.minutes(5),
            }),
        ),
        width: 8,
      }),
    );
    return dashboard;
  }

  /**
   * Alarms when the function fails (errors ≥ 1 in 5 minutes). Throttles are one alarm for
   * every function (lambdaThrottles): an alarm is billed per metric it reads.
   */
  watch(id: string, fn: IFunction): Alarm | undefined {
    // errorAlarms=account: lambdaErrors stands for every function.
    if (this.errorAlarms === 'account') return undefined;
    const alarm = new Alarm(this, `${id}Failing`, {
      alarmName: `${this.prefix}-${id}-errors`.slice(0, 255),
      alarmDescription: `${id} failed (error, timeout, crash) in the last 5 minutes.`,
      metric: fn.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.functionAlarms.set(id, alarm);
    return alarm;
  }

  /** The table: any throttled request (a hot partition, or on-demand's warm-up), any system error, and transaction conflicts past the stage's threshold. */
  watchTable(table: ITableV2, conflictThreshold: number): Alarm[] {
    const five = { period: Duration.minutes(5), statistic: 'Sum' };
    // The operations each alarm sums, from the fixed monthly floor's own list (each is one billed alarm metric).
    const ops = (names: readonly string[]) => names.map((n) => n as Operation);
    const alarm = (id: string, description: string, metric: IMetric, threshold: number) =>
      new Alarm(this, id, {
        alarmName: `${this.prefix}-${id.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    return [
      alarm(
        'TableThrottles',
        "DynamoDB throttled requests: a hot partition (docs/scale.md) or traffic above the table's warm throughput. The SDK retried them; members may have waited or seen 503.",
        table.metricThrottledRequestsForOperations({ ...five, operations: ops(TABLE_ALARM_OPERATIONS.throttles) }),
        1,
      ),
      alarm(
        'TableSystemErrors',
        'DynamoDB answered 500s (its own errors): retried by the SDK; persistent ones are an AWS incident.',
        table.metricSystemErrorsForOperations({ ...five, operations: ops(TABLE_ALARM_OPERATIONS.systemErrors) }),
        1,
      ),
      alarm(
        'TableTransactionConflicts',
        'Many transactions were cancelled by a concurrent one on the same item: many writers on one member, or a hot report counter (docs/scale.md).',
        new Metric({
          namespace: 'AWS/DynamoDB',
          metricName: 'TransactionConflict',
          dimensionsMap: { TableName: table.tableName },
          ...five,
        }),
        conflictThreshold,
      ),
    ];
  }

  /** API answers 5xx: the club failed a caller (never a client mistake, which is 4xx). */
  watchApi(api: IHttpApi, threshold: number): Alarm {
    return new Alarm(this, 'Api5xx', {
      alarmName: `${this.prefix}-api-5xx`,
      alarmDescription: `The API answered ${threshold} or more 5xx in 5 minutes: see the access log's status and the functions' errors.`,
      metric: api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** A dead-letter queue: alarm as soon as anything lands in it (webhooks, jobs). */
  alarmOnDeadLetters(id: string, queue: IQueue): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.prefix}-${id.toLowerCase()}-dead-letters`,
      alarmDescription: `Messages are waiting in ${id}: look at them and replay.`,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.showQueue(`${id} depth`, queue);
    return alarm;
  }

  /** A queue's depth on the dashboard (its alarm lives elsewhere). */
  showQueue(title: string, queue: IQueue): void {
    this.dashboard?.addWidgets(new GraphWidget({ title, left: [queue.metricApproximateNumberOfMessagesVisible()], width: 12 }));
  }
}
