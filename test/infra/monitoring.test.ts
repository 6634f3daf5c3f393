import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { routeGroups, routeList } from '../../shared/api/routes';
import { metricNames } from '../../shared/core/metric-names';
import { EmaillessStack } from '../../infra/stack';
import { workerList, workers } from '../../infra/workers';
import { everyFunctionEnvironment } from './function-environment';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource?: unknown };

// Bundling skipped: the template is checked, not the esbuild output.
const synth = (name: string, context: Record<string, string> = {}) => Template.fromStack(new EmaillessStack(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }), name));
const template = synth('Emailless');

function only(type: string, props: Record<string, unknown>, from = template): [string, Resource] {
  const found = Object.entries(from.findResources(type, { Properties: props })) as [string, Resource][];
  if (found.length !== 1 || !found[0]) throw new Error(`expected one ${type} matching ${JSON.stringify(props)}, found ${found.length}`);
  return found[0];
}

const [topicId] = only('AWS::SNS::Topic', {});
const [apiId] = only('AWS::ApiGatewayV2::Api', {});
const [tableId] = only('AWS::DynamoDB::Table', {});
const [queueId] = only('AWS::SQS::Queue', {});
const functionIdOf = (description: string) => only('AWS::Lambda::Function', { Description: description })[0];
const workerIds = workerList.map((worker) => functionIdOf(worker.summary));
const ourFunctions = (from = template) => Object.entries(from.findResources('AWS::Lambda::Function')).filter(([logicalId]) => !logicalId.startsWith('BucketNotificationsHandler')) as [string, Resource][];

/** A dashboard body is an Fn::Join of text and references; references become `<Ref X>` and `<X.Attr>`, so it parses as JSON. */
function resolveBody(body: unknown): string {
  if (typeof body === 'string') return body;
  const [, parts] = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      if (ref.Ref) return `<Ref ${ref.Ref}>`;
      if (ref['Fn::GetAtt']) return `<${ref['Fn::GetAtt'].join('.')}>`;
      throw new Error(`unexpected part ${JSON.stringify(part)}`);
    })
    .join('');
}

type Line = { namespace: string; name: string; dimensions: Record<string, string>; options: Record<string, unknown> } | { expression: string; options: Record<string, unknown> };
type Widget = { type: string; properties: { title: string; metrics?: unknown[][]; alarms?: string[] } };

function dashboardOf(from: Template): { name: unknown; widgets: Widget[] } {
  const [, dashboard] = only('AWS::CloudWatch::Dashboard', {}, from);
  return { name: dashboard.Properties.DashboardName, widgets: (JSON.parse(resolveBody(dashboard.Properties.DashboardBody)) as { widgets: Widget[] }).widgets };
}

function linesOf(widget: Widget): Line[] {
  return (widget.properties.metrics ?? []).map((row) => {
    const last = row[row.length - 1];
    const options = typeof last === 'object' && last !== null ? (last as Record<string, unknown>) : {};
    if (typeof row[0] === 'object') return { expression: (row[0] as { expression: string }).expression, options: row[0] as Record<string, unknown> };
    const [namespace, name, ...rest] = row.filter((cell) => typeof cell === 'string') as string[];
    const dimensions: Record<string, string> = {};
    for (let i = 0; i + 1 < rest.length; i += 2) dimensions[rest[i]!] = rest[i + 1]!;
    return { namespace: namespace!, name: name!, dimensions, options };
  });
}

const dashboard = dashboardOf(template);
const graphs = dashboard.widgets.filter((widget) => widget.type === 'metric');
const allLines = graphs.flatMap((widget) => linesOf(widget).map((line) => ({ ...line, title: widget.properties.title })));
const metricLines = allLines.filter((line): line is Extract<Line, { name: string }> & { title: string } => 'name' in line);
const linesNamed = (namespace: string, name: string) => metricLines.filter((line) => line.namespace === namespace && line.name === name);

describe('dashboard', () => {
  test('is named after the stack', () => {
    expect(dashboard.name).toBe('Emailless');
    template.hasOutput('DashboardName', {});
  });

  test('graphs every custom metric of the catalogue, in the namespace and for this stack\'s service only', () => {
    for (const name of Object.values(metricNames)) {
      const lines = linesNamed('emailless', name);
      expect({ name, graphed: lines.length > 0 }).toEqual({ name, graphed: true });
      for (const line of lines) expect(line.dimensions.service).toBe('Emailless');
    }
    expect(metricLines.filter((line) => line.namespace === 'emailless' && !Object.values<string>(metricNames).includes(line.name))).toEqual([]);
  });

  test('ApiLatency p50 and p99 have one line per route group, and no other', () => {
    const latency = linesNamed('emailless', metricNames.apiLatency);
    for (const stat of ['p50', 'p99']) {
      const groups = latency.filter((line) => line.options.stat === stat).map((line) => line.dimensions.routeGroup);
      expect(groups.sort()).toEqual([...routeGroups].sort());
    }
    expect(routeGroups).toEqual(expect.arrayContaining(['auth', 'admin-imports', 'pages']));
  });

  test('sign-in failures beside sign-ins; import duration as p50 and p99', () => {
    const signIns = graphs.find((widget) => widget.properties.title === 'Sign-ins')!;
    expect(linesOf(signIns).map((line) => ('name' in line ? line.name : ''))).toEqual(['SignIns', 'SignInFailures']);
    expect(linesNamed('emailless', metricNames.importDuration).map((line) => line.options.stat).sort()).toEqual(['p50', 'p99']);
  });

  test('API Gateway requests, 4xx, 5xx and latency p50/p99 of this API', () => {
    for (const name of ['Count', '4xx', '5xx']) expect(linesNamed('AWS/ApiGateway', name).map((line) => line.dimensions)).toContainEqual({ ApiId: `<Ref ${apiId}>` });
    expect(linesNamed('AWS/ApiGateway', 'Latency').map((line) => line.options.stat).sort()).toEqual(['p50', 'p99']);
  });

  test('the failed-invocations queue\'s depth', () => {
    expect(linesNamed('AWS/SQS', 'ApproximateNumberOfMessagesVisible').map((line) => line.dimensions)).toEqual([{ QueueName: `<${queueId}.QueueName>` }]);
  });

  test('DynamoDB throttle events of the table and of each index, throttled requests, consumed capacity', () => {
    for (const name of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      expect(linesNamed('AWS/DynamoDB', name).map((line) => line.dimensions)).toEqual([
        { TableName: `<Ref ${tableId}>` },
        { TableName: `<Ref ${tableId}>`, GlobalSecondaryIndexName: 'gsi1' },
        { TableName: `<Ref ${tableId}>`, GlobalSecondaryIndexName: 'gsi2' },
      ]);
    }
    const operations = linesNamed('AWS/DynamoDB', 'ThrottledRequests').map((line) => line.dimensions.Operation);
    expect(operations).toEqual(expect.arrayContaining(['GetItem', 'PutItem', 'UpdateItem', 'Query', 'BatchWriteItem', 'TransactWriteItems']));
    for (const name of ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits']) expect(linesNamed('AWS/DynamoDB', name)).toHaveLength(1);
  });

  test('Lambda errors and throttles of every function: each worker on its own line, the API functions summed', () => {
    const functionIds = ourFunctions().map(([logicalId]) => logicalId);
    expect(functionIds).toHaveLength(routeList.length + 1 + workerList.length);
    for (const name of ['Errors', 'Throttles']) {
      const graphed = linesNamed('AWS/Lambda', name).map((line) => line.dimensions.FunctionName);
      expect(graphed.sort()).toEqual(functionIds.map((logicalId) => `<Ref ${logicalId}>`).sort());
    }
    const sums = allLines.filter((line) => 'expression' in line).map((line) => ('expression' in line ? line.expression : ''));
    expect(sums).toEqual(expect.arrayContaining([expect.stringMatching(/^SUM\(\[errors0, errors1, .*errors\d+\]\)$/), expect.stringMatching(/^SUM\(\[throttles0, .*\]\)$/)]));
    for (const widget of graphs) expect({ title: widget.properties.title, size: (widget.properties.metrics ?? []).length <= 100 }).toEqual({ title: widget.properties.title, size: true });
  });

  test('shows the state of every alarm', () => {
    const [alarmWidget] = dashboard.widgets.filter((widget) => widget.type === 'alarm');
    const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarmWidget!.properties.alarms!.sort()).toEqual(alarmIds.map((logicalId) => `<${logicalId}.Arn>`).sort());
  });
});

describe('alarms', () => {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
  const alarmNamed = (name: string) => only('AWS::CloudWatch::Alarm', { AlarmName: `Emailless-${name}` })[1].Properties;
  const stat = (namespace: string, name: string, dimensions: Record<string, unknown>, statistic: string, period = 300) => ({
    Metric: { Namespace: namespace, MetricName: name, Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })) },
    Period: period,
    Stat: statistic,
  });

  test('there are seven, each with a description saying what to do, notifying the topic on alarm and on recovery, missing data not breaching', () => {
    expect(alarms.map((alarm) => alarm.Properties.AlarmName).sort()).toEqual(
      ['ApiServerErrors', 'FailedInvocations', 'ImportsFailed', 'SignInFailureSpike', 'TableThrottles', 'WorkerErrors', 'WorkerGaveUp'].map((name) => `Emailless-${name}`),
    );
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        AlarmActions: [{ Ref: topicId }],
        OKActions: [{ Ref: topicId }],
        TreatMissingData: 'notBreaching',
        EvaluationPeriods: 1,
      });
      expect((alarm.Properties.AlarmDescription as string).length).toBeGreaterThan(80);
    }
  });

  test('5xx rate: above 1 % of requests in 5 minutes, counted from the fifth 5xx', () => {
    const alarm = alarmNamed('ApiServerErrors');
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarm.Metrics).toEqual([
      { Id: 'expr_1', Expression: 'IF(FILL(errors, 0) >= 5, 100 * FILL(errors, 0) / requests, 0)', Label: '5xx % of requests', ReturnData: true },
      { Id: 'errors', MetricStat: stat('AWS/ApiGateway', '5xx', { ApiId: { Ref: apiId } }, 'Sum'), ReturnData: false },
      { Id: 'requests', MetricStat: stat('AWS/ApiGateway', 'Count', { ApiId: { Ref: apiId } }, 'Sum'), ReturnData: false },
    ]);
  });

  test('the failed-invocations queue holds a message', () => {
    expect(alarmNamed('FailedInvocations')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test('a worker gave up: markFailedJob ran', () => {
    expect(alarmNamed('WorkerGaveUp')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionIdOf(workers.markFailedJob.summary) } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test('a worker threw or timed out: the errors of every worker, summed', () => {
    const alarm = alarmNamed('WorkerErrors');
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const metrics = alarm.Metrics as { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Dimensions: { Value: { Ref: string } }[] } } }[];
    expect(metrics[0]!.Expression).toBe(`SUM([${workerIds.map((_, i) => `w${i}`).join(', ')}])`);
    expect(metrics.slice(1).map((metric) => metric.MetricStat!.Metric.MetricName)).toEqual(workerIds.map(() => 'Errors'));
    expect(metrics.slice(1).map((metric) => metric.MetricStat!.Metric.Dimensions[0]!.Value.Ref).sort()).toEqual([...workerIds].sort());
  });

  test('three failed imports in 15 minutes', () => {
    const alarm = alarmNamed('ImportsFailed');
    expect(alarm).toMatchObject({ Threshold: 3, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(alarm.Metrics).toEqual([{ Id: 'm1', Label: 'ImportsFailed', MetricStat: stat('emailless', 'ImportsFailed', { service: 'Emailless' }, 'Sum', 900), ReturnData: true }]);
  });

  test('a spike of sign-in failures: 100 in 5 minutes', () => {
    const alarm = alarmNamed('SignInFailureSpike');
    expect(alarm).toMatchObject({ Threshold: 100, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(alarm.Metrics).toEqual([{ Id: 'm1', Label: 'SignInFailures', MetricStat: stat('emailless', 'SignInFailures', { service: 'Emailless' }, 'Sum'), ReturnData: true }]);
  });

  test('any DynamoDB throttle event, on the table or either index', () => {
    const alarm = alarmNamed('TableThrottles');
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const metrics = alarm.Metrics as { Id: string; Expression?: string; MetricStat?: ReturnType<typeof stat> }[];
    expect(metrics[0]!.Expression).toBe('SUM([read0, write0, read1, write1, read2, write2])');
    const table = { TableName: { Ref: tableId } };
    expect(metrics.slice(1).map((metric) => metric.MetricStat)).toEqual([
      stat('AWS/DynamoDB', 'ReadThrottleEvents', table, 'Sum'),
      stat('AWS/DynamoDB', 'WriteThrottleEvents', table, 'Sum'),
      ...['gsi1', 'gsi2'].flatMap((index) => [
        stat('AWS/DynamoDB', 'ReadThrottleEvents', { GlobalSecondaryIndexName: index, ...table }, 'Sum'),
        stat('AWS/DynamoDB', 'WriteThrottleEvents', { GlobalSecondaryIndexName: index, ...table }, 'Sum'),
      ]),
    ]);
  });
});

describe('alarm topic', () => {
  test('refuses publishers without TLS and keeps its output', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
  });

  test('keeps the logical ID it had at the stack\'s level, so a deployed topic keeps its subscriptions', () => {
    expect(topicId).toBe('Alarms04B5A0BF');
  });

  test('has no subscription unless -c alarmEmail names one; then that address, by email', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const subscribed = synth('Emailless', { alarmEmail: 'ops@example.org' });
    subscribed.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org', TopicArn: { Ref: topicId } });
  });

  test.each(['ops', 'ops@example', '', 'ops@example.org,evil@example.org', 'a b@example.org'])('refuses -c alarmEmail=%j at synth', (alarmEmail) => {
    expect(() => synth('Emailless', { alarmEmail })).toThrow(/alarmEmail must be an email address/);
  });
});

describe('functions', () => {
  test('every function traces actively and gives Powertools the stack\'s name, the namespace and the log level, and no answer goes into a trace nor an event into a log', () => {
    const functions = ourFunctions();
    expect(functions).toHaveLength(routeList.length + 1 + workerList.length);
    for (const [, fn] of functions) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject(everyFunctionEnvironment);
    }
  });

  test('a second deployment under another name reports and is watched under that name', () => {
    const staging = synth('EmaillessStaging');
    for (const [, fn] of ourFunctions(staging)) expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_SERVICE_NAME).toBe('EmaillessStaging');
    const { name, widgets } = dashboardOf(staging);
    expect(name).toBe('EmaillessStaging');
    const services = new Set(widgets.flatMap(linesOf).flatMap((line) => ('name' in line && line.namespace === 'emailless' ? [line.dimensions.service] : [])));
    expect([...services]).toEqual(['EmaillessStaging']);
    staging.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'EmaillessStaging-SignInFailureSpike', Metrics: [Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ Dimensions: [{ Name: 'service', Value: 'EmaillessStaging' }] }) }) })] });
  });

  test('every role may send traces, and the X-Ray actions are the only ones granted on Resource *', () => {
    const statements = (Object.values(template.findResources('AWS::IAM::Policy')) as Resource[]).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const onAnything = statements.filter((statement) => statement.Effect === 'Allow' && statement.Resource === '*');
    expect(onAnything.length).toBeGreaterThanOrEqual(routeList.length + 1 + workerList.length);
    for (const statement of onAnything) expect([statement.Action].flat().sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });
});
