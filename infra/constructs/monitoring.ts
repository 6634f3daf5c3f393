import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { CfnTopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { routeGroups } from '../../shared/api/routes';
import { metricNames, metricNamespace, type MetricName } from '../../shared/core/metric-names';
import { tableSchema } from '../../shared/db/keys';
import { ProjectFunction } from './project-function';
import type { Workers } from './workers';

/**
 * Every alarm's threshold, with the reason for it. Each alarm looks at one window of `minutes`;
 * no traffic publishes no data, and missing data never raises an alarm (see the README).
 */
export const alarmThresholds = {
  /**
   * 5xx answers as a percentage of requests in 5 minutes, counted once there are at least
   * `minErrors` of them: one 5xx at night (1 of 3 requests) does not page, an outage does
   * (5 failed requests are enough, whatever the traffic), and so does a steady 1 % by day.
   */
  apiServerErrors: { percent: 1, minErrors: 5, minutes: 5 },
  /** Any message in the failed-invocations queue: a job nobody could even mark failed. */
  failedInvocations: { messages: 1, minutes: 5 },
  /** Any invocation of markFailedJob: Lambda gave up on a worker after its retries. */
  workerGaveUp: { invocations: 1, minutes: 5 },
  /** Any worker attempt that threw or timed out; Lambda retries it, but each one is a bug or a limit met. */
  workerErrors: { errors: 1, minutes: 5 },
  /**
   * Failed imports in 15 minutes. One admin's bad file fails once, maybe twice when they
   * retry; three means files that should work are failing, or someone needs help.
   */
  importsFailed: { imports: 3, minutes: 15 },
  /**
   * Failed sign-ins in 5 minutes. One client address may fail 50 times in 15 minutes and one
   * identifier 10 before they are held back, and people mistype a few times an hour; 100 in
   * 5 minutes is many addresses or identifiers at once: password spraying or credential
   * stuffing spread out to pass the per-client limits, or a sign-in that fails for everyone.
   */
  signInFailures: { failures: 100, minutes: 5 },
  /** Any read or write throttled on the on-demand table or an index: a hot key or a burst past twice the last peak. */
  tableThrottles: { events: 1, minutes: 5 },
} as const;

export interface MonitoringProps {
  httpApi: HttpApi;
  table: Table;
  workers: Workers;
  /** Subscribed to the alarm topic when given (`cdk deploy -c alarmEmail=…`). */
  alarmEmail?: string;
}

const minutes = (n: number) => Duration.minutes(n);

/**
 * The alarm topic, the alarms that notify it (and notify it again when they recover), and a
 * dashboard named after the stack. Custom metrics are read with the dimension `service` = the
 * stack's name, which every function gives Powertools (constructs/project-function.ts).
 * Made last: it watches every function of the stack.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  private readonly service: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.service = stack.stackName;

    this.topic = new Topic(this, 'Alarms', { displayName: `${stack.stackName} alarms`, enforceSSL: true });
    // The topic was made at the stack's level before: a new logical ID would replace it and drop its subscriptions.
    (this.topic.node.defaultChild as CfnTopic).overrideLogicalId('Alarms04B5A0BF');
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: 'Alarm notifications carry no personal data; CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer key for this alone is not worth its cost.',
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const { httpApi, table, workers } = props;
    const workerFunctions = [...workers.functions.entries()];
    const workerSet = new Set<ProjectFunction>(workers.functions.values());
    const apiFunctions = stack.node.findAll().filter((c): c is ProjectFunction => c instanceof ProjectFunction && !workerSet.has(c));
    const indexNames = [tableSchema.gsi1.name, tableSchema.gsi2.name];

    // Alarms.
    const t = alarmThresholds;
    const requests = httpApi.metricCount({ period: minutes(t.apiServerErrors.minutes), statistic: 'Sum' });
    const serverErrors = httpApi.metricServerError({ period: minutes(t.apiServerErrors.minutes), statistic: 'Sum' });
    this.alarm('ApiServerErrors', {
      description: `More than ${t.apiServerErrors.percent} % of API requests answered 5xx in ${t.apiServerErrors.minutes} minutes (at least ${t.apiServerErrors.minErrors} of them). Look at the dashboard's Lambda errors to find the function, then its log group (and X-Ray traces) for the error; a DynamoDB or S3 outage shows as 503 with Retry-After.`,
      metric: new MathExpression({
        expression: `IF(FILL(errors, 0) >= ${t.apiServerErrors.minErrors}, 100 * FILL(errors, 0) / requests, 0)`,
        usingMetrics: { errors: serverErrors, requests },
        period: minutes(t.apiServerErrors.minutes),
        label: '5xx % of requests',
      }),
      threshold: t.apiServerErrors.percent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.alarm('FailedInvocations', {
      description: 'An import, export or letter run was given up by Lambda and marking it failed did not work either: its job may still look under way. Read the message in the failed-invocations queue (the job\'s bucket key or run), fix the cause, mark the job failed or run it again, then delete the message.',
      metric: workers.failures.metricApproximateNumberOfMessagesVisible({ period: minutes(t.failedInvocations.minutes), statistic: 'Maximum' }),
      threshold: t.failedInvocations.messages,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    this.alarm('WorkerGaveUp', {
      description: 'Lambda gave up on an import, export or letter run after two retries; the job was marked failed and the admin sees it. Read the worker\'s log group for the error of its three attempts.',
      metric: workers.failureDestination.metricInvocations({ period: minutes(t.workerGaveUp.minutes), statistic: 'Sum' }),
      threshold: t.workerGaveUp.invocations,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    this.alarm('WorkerErrors', {
      description: 'A worker (import, export, letters or markFailedJob) threw or timed out. Lambda retries it twice; read the worker\'s log group. If the retries fail too, WorkerGaveUp follows.',
      metric: new MathExpression({
        expression: `SUM([${workerFunctions.map((_, i) => `w${i}`).join(', ')}])`,
        usingMetrics: Object.fromEntries(workerFunctions.map(([, fn], i) => [`w${i}`, fn.metricErrors({ period: minutes(t.workerErrors.minutes), statistic: 'Sum' })])),
        period: minutes(t.workerErrors.minutes),
        label: 'Worker errors',
      }),
      threshold: t.workerErrors.errors,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    this.alarm('ImportsFailed', {
      description: `${t.importsFailed.imports} or more imports failed in ${t.importsFailed.minutes} minutes. Read the import worker's log group: each failed import logs its code (a refused file is the admin's to fix; internal_error or a timeout is ours).`,
      metric: this.custom(metricNames.importsFailed, 'Sum', t.importsFailed.minutes),
      threshold: t.importsFailed.imports,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    this.alarm('SignInFailureSpike', {
      description: `${t.signInFailures.failures} or more failed sign-ins in ${t.signInFailures.minutes} minutes: password spraying or credential stuffing spread over many addresses, or a sign-in broken for everyone. Compare SignIns and ThrottledAttempts on the dashboard; the API access log names the client addresses.`,
      metric: this.custom(metricNames.signInFailures, 'Sum', t.signInFailures.minutes),
      threshold: t.signInFailures.failures,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    const throttleEvents = this.tableThrottleEvents(table, indexNames, t.tableThrottles.minutes);
    this.alarm('TableThrottles', {
      description: 'DynamoDB throttled reads or writes on the table or an index. Functions retry and then answer 503 with Retry-After; find the operation on the dashboard\'s DynamoDB graphs and, if it is one hot key, the access pattern that reads or writes it.',
      metric: new MathExpression({
        expression: `SUM([${Object.keys(throttleEvents).join(', ')}])`,
        usingMetrics: throttleEvents,
        period: minutes(t.tableThrottles.minutes),
        label: 'Throttle events',
      }),
      threshold: t.tableThrottles.events,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // Dashboard.
    const p = minutes(5);
    const custom = (name: MetricName, statistic = 'Sum', label?: string) => this.custom(name, statistic, 5, label);
    const apiLatency = (statistic: string) => routeGroups.map((group) => this.custom(metricNames.apiLatency, statistic, 5, group, { routeGroup: group }));
    const sumOf = (label: string, key: string, metrics: IMetric[]) =>
      new MathExpression({ expression: `SUM([${metrics.map((_, i) => `${key}${i}`).join(', ')}])`, usingMetrics: Object.fromEntries(metrics.map((m, i) => [`${key}${i}`, m])), period: p, label });
    const graph = (title: string, left: IMetric[], right: IMetric[] = [], width = 8) => new GraphWidget({ title, left, right, width, height: 6, period: p });

    const rows: IWidget[][] = [
      [new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 })],
      [
        graph('API requests', [httpApi.metricCount({ period: p, statistic: 'Sum', label: 'Requests' })]),
        graph('API 4xx and 5xx', [httpApi.metricClientError({ period: p, statistic: 'Sum', label: '4xx' }), httpApi.metricServerError({ period: p, statistic: 'Sum', label: '5xx' })]),
        graph('API Gateway latency (ms)', [httpApi.metricLatency({ period: p, statistic: 'p50', label: 'p50' }), httpApi.metricLatency({ period: p, statistic: 'p99', label: 'p99' })]),
      ],
      [graph('ApiLatency p50 by route group (ms)', apiLatency('p50'), [], 12), graph('ApiLatency p99 by route group (ms)', apiLatency('p99'), [], 12)],
      [
        graph('Sign-ins', [custom(metricNames.signIns), custom(metricNames.signInFailures)]),
        graph('Throttled attempts (429)', [custom(metricNames.throttledAttempts)]),
        graph('Sign-ups and access codes viewed', [custom(metricNames.signUps), custom(metricNames.accessCodesViewed)]),
      ],
      [
        graph('Imports', [custom(metricNames.importsStarted), custom(metricNames.importsCompleted), custom(metricNames.importsFailed)]),
        graph('Import rows', [custom(metricNames.importRows)]),
        graph('Import duration (ms)', [custom(metricNames.importDuration, 'p50', 'p50'), custom(metricNames.importDuration, 'p99', 'p99')]),
      ],
      [
        graph('Exports and letter runs', [
          custom(metricNames.exportsCompleted),
          custom(metricNames.exportsFailed),
          custom(metricNames.letterRunsCompleted),
          custom(metricNames.letterRunsFailed),
        ]),
        graph('Letters printed', [custom(metricNames.lettersPrinted)]),
        graph('Failed invocations queue (DLQ) and given-up jobs', [
          workers.failures.metricApproximateNumberOfMessagesVisible({ period: p, statistic: 'Maximum', label: 'Messages in the failed-invocations queue' }),
          workers.failureDestination.metricInvocations({ period: p, statistic: 'Sum', label: 'Jobs marked failed (markFailedJob runs)' }),
        ]),
      ],
      [
        graph(
          'DynamoDB throttles',
          Object.entries(this.tableThrottleEvents(table, indexNames, 5)).map(([, metric]) => metric),
          [
            table.metricThrottledRequestsForOperations({
              operations: [Operation.GET_ITEM, Operation.PUT_ITEM, Operation.UPDATE_ITEM, Operation.DELETE_ITEM, Operation.QUERY, Operation.BATCH_GET_ITEM, Operation.BATCH_WRITE_ITEM, Operation.TRANSACT_WRITE_ITEMS],
              period: p,
              label: 'Throttled requests (all operations)',
            }),
          ],
        ),
        graph('DynamoDB consumed capacity', [
          table.metricConsumedReadCapacityUnits({ period: p, statistic: 'Sum', label: 'Read units' }),
          table.metricConsumedWriteCapacityUnits({ period: p, statistic: 'Sum', label: 'Write units' }),
        ]),
        graph('Lambda: workers\' errors and throttles', workerFunctions.flatMap(([name, fn]) => [
          fn.metricErrors({ period: p, statistic: 'Sum', label: `${name} errors` }),
          fn.metricThrottles({ period: p, statistic: 'Sum', label: `${name} throttles` }),
        ])),
      ],
      [
        // Two graphs rather than one: each function is a metric, and a graph's image (GetMetricWidgetImage) draws at most 100.
        graph('Lambda: API functions\' errors (all routes)', [sumOf('Errors', 'errors', apiFunctions.map((fn) => fn.metricErrors({ period: p, statistic: 'Sum' })))], [], 12),
        graph('Lambda: API functions\' throttles (all routes)', [sumOf('Throttles', 'throttles', apiFunctions.map((fn) => fn.metricThrottles({ period: p, statistic: 'Sum' })))], [], 12),
      ],
    ];
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: stack.stackName, widgets: rows });
  }

  private custom(name: MetricName, statistic: string, periodMinutes: number, label?: string, extra: Record<string, string> = {}): Metric {
    return new Metric({
      namespace: metricNamespace,
      metricName: name,
      dimensionsMap: { service: this.service, ...extra },
      statistic,
      period: minutes(periodMinutes),
      label: label ?? name,
    });
  }

  /** Read and write throttle events of the table and of each index, keyed for a math expression. */
  private tableThrottleEvents(table: Table, indexNames: string[], periodMinutes: number): Record<string, Metric> {
    const metrics: Record<string, Metric> = {};
    for (const [i, index] of [undefined, ...indexNames].entries()) {
      for (const kind of ['Read', 'Write'] as const) {
        metrics[`${kind.toLowerCase()}${i}`] = table.metric(`${kind}ThrottleEvents`, {
          dimensionsMap: { TableName: table.tableName, ...(index ? { GlobalSecondaryIndexName: index } : {}) },
          period: minutes(periodMinutes),
          statistic: 'Sum',
          label: `${kind} throttle events (${index ?? 'table'})`,
        });
      }
    }
    return metrics;
  }

  private alarm(id: string, props: { description: string; metric: IMetric; threshold: number; comparisonOperator: ComparisonOperator }): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${Stack.of(this).stackName}-${id}`,
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: props.comparisonOperator,
      evaluationPeriods: 1,
      // Each metric here is published only when something happens (a request, an error, a throttle): no data is nothing wrong.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }
}
