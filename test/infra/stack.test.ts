import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { routeList, routes } from '../../shared/api/routes';
import { EmaillessStack } from '../../infra/stack';
import { workerList, workers } from '../../infra/workers';
import { functionEnvironment } from './function-environment';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource?: unknown; Condition?: unknown };

// Bundling skipped: the template is checked, not the esbuild output.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const template = Template.fromStack(new EmaillessStack(app, 'Emailless'));
const templateJson = JSON.stringify(template.toJSON());

function only(type: string, props: Record<string, unknown>): [string, Resource] {
  const found = Object.entries(template.findResources(type, { Properties: props })) as [string, Resource][];
  if (found.length !== 1 || !found[0]) throw new Error(`expected one ${type} matching ${JSON.stringify(props)}, found ${found.length}`);
  return found[0];
}

/** The function serving a route; each function's description is its route key. */
function functionFor(route: { method: string; path: string }): [string, Resource] {
  return only('AWS::Lambda::Function', { Description: `${route.method} ${route.path}` });
}

function allowedStatements(functionId: string): Statement[] {
  const fn = template.findResources('AWS::Lambda::Function')[functionId] as Resource;
  const [roleId] = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
  const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })) as Resource[];
  return policies.flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement).filter((statement) => statement.Effect === 'Allow');
}

function allowedActions(functionId: string): string[] {
  return allowedStatements(functionId).flatMap((statement) => [statement.Action].flat());
}

describe('table', () => {
  test('pk/sk keys, gsi1 (keys only), gsi2 (listings, only what they read), ttl, on demand, PITR, deletion protection, retained', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith(
          ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        ),
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
          {
            IndexName: 'gsi2',
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
            // No password hash, sessions or device tokens: a sign-in's write to the user item changes nothing here.
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: Match.arrayWith(['uid', 'role', 'status', 'codeCiphertext']) },
          },
        ],
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });
});

describe('buckets', () => {
  const [filesId] = only('AWS::S3::Bucket', { LoggingConfiguration: Match.anyValue() });

  test('every bucket blocks public access, is encrypted and is retained', () => {
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    template.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  test('every bucket denies requests without TLS', () => {
    const buckets = Object.keys(template.findResources('AWS::S3::Bucket'));
    for (const bucketId of buckets) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  test('the files bucket expires imports, exports and letters, aborts stale uploads and logs access elsewhere', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.not(filesId) } },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'imports/', ExpirationInDays: 7, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'exports/', ExpirationInDays: 2, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'letters/', ExpirationInDays: 2, Status: 'Enabled' }),
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: Match.anyValue() }, Status: 'Enabled' }),
        ]),
      },
    });
  });

  test('the files bucket lets browsers PUT and GET through presigned URLs', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: Match.arrayEquals(['PUT', 'GET']),
            AllowedOrigins: ['*'],
            AllowedHeaders: Match.arrayWith(['content-type']),
            ExposedHeaders: ['ETag'],
          }),
        ],
      },
    });
  });
});

/** CDK's own singleton that configures bucket notifications (Python, managed policy). */
const isNotificationsHandler = (logicalId: string) => logicalId.startsWith('BucketNotificationsHandler');

describe('functions', () => {
  test('one function per route plus the fallback and each worker, all Node.js 24 on arm64', () => {
    const ours = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([logicalId]) => !isNotificationsHandler(logicalId));
    expect(ours).toHaveLength(routeList.length + 1 + workerList.length);
    // The workers that read or write spreadsheets bound V8's young generation, the import and letters workers their old one too (infra/workers.ts).
    const flagsOf = new Map<string, string>([
      [workers.importFile.summary, ' --max-semi-space-size=16 --max-old-space-size=384'],
      [workers.exportInvitations.summary, ' --max-semi-space-size=16'],
      [workers.printLetters.summary, ' --max-semi-space-size=16 --max-old-space-size=256'],
    ]);
    for (const [, fn] of ours) {
      const nodeOptions = `--enable-source-maps${flagsOf.get(fn.Properties.Description as string) ?? ''}`;
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: nodeOptions, LOG_LEVEL: 'info', BCRYPT_COST: '11' }) },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
    }
  });

  test('the import worker runs on uploads only, with retries and a failure destination', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          Match.objectLike({
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: Match.arrayWith([{ Name: 'suffix', Value: '/upload.xlsx' }, { Name: 'prefix', Value: 'imports/' }]) } },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: Match.anyValue() } } });
    const importer = only('AWS::Lambda::Function', { Description: workers.importFile.summary });
    expect(importer[1].Properties).toMatchObject({ MemorySize: 1024, Timeout: 900 });
  });

  test('a worker Lambda gives up on goes to the worker that marks its job failed; that one goes to the queue', () => {
    const [markFailedId] = only('AWS::Lambda::Function', { Description: workers.markFailedJob.summary });
    const [queueId] = only('AWS::SQS::Queue', {});
    for (const worker of [workers.importFile, workers.exportInvitations, workers.printLetters]) {
      const [workerId] = only('AWS::Lambda::Function', { Description: worker.summary });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: workerId },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [markFailedId, 'Arn'] } } },
      });
    }
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: markFailedId },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    expect(allowedActions(markFailedId)).toContain('dynamodb:UpdateItem');
  });

  test('every alarm notifies the alarm topic', () => {
    const [topicId] = only('AWS::SNS::Topic', {});
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    expect(alarms.length).toBeGreaterThanOrEqual(2);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    template.hasOutput('AlarmTopicArn', {});
  });

  test.each(routeList)('$name gets its memory and timeout', (route) => {
    const [, fn] = functionFor(route);
    expect(fn.Properties).toMatchObject({ MemorySize: route.memoryMb ?? 256, Timeout: route.timeoutSeconds ?? 10 });
  });

  test('function logs are kept a month', () => {
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('roles carry no managed policies (each may only write its own log group)', () => {
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([logicalId]) => !isNotificationsHandler(logicalId));
    for (const [, role] of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('api', () => {
  test('HTTP API with CORS for browser clients', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: ['*'],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'x-operator-key']),
        AllowMethods: Match.arrayWith(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
      },
    });
  });

  test('one route per entry plus $default, each integrated with its own function (payload 2.0)', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routeList.length + 1);
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const functions = template.findResources('AWS::Lambda::Function');
    const servedBy = (routeKey: string): unknown => {
      const [, route] = only('AWS::ApiGatewayV2::Route', { RouteKey: routeKey });
      const [, [, integrationRef]] = (route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'];
      const integration = integrations[integrationRef.Ref] as Resource;
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      const [functionId] = (integration.Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      return (functions[functionId] as Resource).Properties.Description;
    };
    for (const route of routeList) expect(servedBy(`${route.method} ${route.path}`)).toBe(`${route.method} ${route.path}`);
    expect(servedBy('$default')).toBe('$default');
  });

  test('the $default stage throttles and writes JSON access logs without headers', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
    const [, stage] = only('AWS::ApiGatewayV2::Stage', {});
    const format = JSON.parse((stage.Properties.AccessLogSettings as { Format: string }).Format) as Record<string, string>;
    expect(Object.keys(format)).toEqual(expect.arrayContaining(['requestId', 'ip', 'method', 'path', 'status', 'latency']));
    expect(Object.values(format).join(' ')).not.toMatch(/header|authorization|querystring/i);
  });
});

describe('secrets', () => {
  test('both keys are generated by CloudFormation, never written into the template', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.allResourcesProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { ExcludePunctuation: true, PasswordLength: Match.anyValue() },
      SecretString: Match.absent(),
    });
    for (const secret of Object.values(template.findResources('AWS::SecretsManager::Secret')) as Resource[]) {
      expect((secret.Properties.GenerateSecretString as { PasswordLength: number }).PasswordLength).toBeGreaterThanOrEqual(32);
    }
  });

  test('functions get the operator key as a secret reference, not as a value', () => {
    expect(templateJson).not.toMatch(/"OPERATOR_KEY"\s*:/);
    expect(templateJson).not.toMatch(/"CODE_KEY"\s*:/);
    const [operatorKeyId] = only('AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('operator key') });
    const [, createTenant] = functionFor(routes.createTenant);
    expect(createTenant.Properties.Environment).toMatchObject({ Variables: { OPERATOR_KEY_SECRET_ARN: { Ref: operatorKeyId } } });
    expect(allowedActions(functionFor(routes.createTenant)[0])).toContain('secretsmanager:GetSecretValue');
  });
});

describe('least privilege', () => {
  test('sign-in may not touch S3 or any secret', () => {
    const actions = allowedActions(functionFor(routes.signIn)[0]);
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions.filter((action) => action.startsWith('s3:') || action.startsWith('secretsmanager:'))).toEqual([]);
  });

  test('getMe (table read) may not write to the table', () => {
    const actions = allowedActions(functionFor(routes.getMe)[0]);
    expect(actions).toContain('dynamodb:GetItem');
    for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
      expect(actions).not.toContain(write);
    }
  });

  test('every route that hands out a presigned download may read the object (S3 checks the signer\'s own permissions; s3rver does not)', () => {
    for (const route of [routes.getImportReport, routes.getExport, routes.getLetters, routes.issueResetLetter]) {
      expect(allowedActions(functionFor(route)[0])).toContain('s3:GetObject');
    }
  });

  test('the letters worker may write objects and abort its uploads, and not read them', () => {
    const actions = allowedActions(only('AWS::Lambda::Function', { Description: workers.printLetters.summary })[0]);
    expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:AbortMultipartUpload']));
    expect(actions).not.toContain('s3:GetObject');
  });

  test('the tenant sweep may list and delete objects under the three prefixes and invoke itself only; it reads and writes no object', () => {
    const [sweepId] = only('AWS::Lambda::Function', { Description: workers.sweepTenant.summary });
    const statements = allowedStatements(sweepId);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['s3:DeleteObject', 's3:ListBucket', 'lambda:InvokeFunction']));
    expect(actions).not.toContain('s3:GetObject');
    expect(actions).not.toContain('s3:PutObject');
    expect(statements.find((statement) => statement.Action === 's3:ListBucket')?.Condition).toEqual({ StringLike: { 's3:prefix': ['imports/*', 'exports/*', 'letters/*'] } });
    // Itself (to go on past its timeout) and, as every worker, the failure destination; nothing else.
    const invoked = statements.filter((statement) => [statement.Action].flat().includes('lambda:InvokeFunction')).flatMap((statement) => [statement.Resource].flat());
    const [markFailedId] = only('AWS::Lambda::Function', { Description: workers.markFailedJob.summary });
    expect(invoked).toContainEqual({ 'Fn::GetAtt': [sweepId, 'Arn'] });
    expect(invoked.filter((resource) => !JSON.stringify(resource).includes(markFailedId))).toEqual([{ 'Fn::GetAtt': [sweepId, 'Arn'] }]);
    expect(allowedActions(functionFor(routes.deleteTenant)[0])).toContain('lambda:InvokeFunction');
    expect(allowedActions(functionFor(routes.getTenantDeletion)[0])).not.toContain('lambda:InvokeFunction');
  });

  test('functions that read the bucket may list it, but only under imports/, exports/ and letters/ (so a missing object is 404, not 403)', () => {
    const [filesId] = only('AWS::S3::Bucket', { LoggingConfiguration: Match.anyValue() });
    const readers = [functionFor(routes.getImportReport), functionFor(routes.getExport), only('AWS::Lambda::Function', { Description: workers.importFile.summary })];
    for (const [functionId] of readers) {
      expect(allowedStatements(functionId).filter((statement) => [statement.Action].flat().includes('s3:ListBucket'))).toEqual([
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [filesId, 'Arn'] }, Condition: { StringLike: { 's3:prefix': ['imports/*', 'exports/*', 'letters/*'] } } },
      ]);
    }
    // A function that only uploads has no business listing.
    expect(allowedActions(functionFor(routes.createImport)[0])).not.toContain('s3:ListBucket');
  });

  test('a route that needs nothing may only write its logs and traces', () => {
    const [functionId, fn] = functionFor(routes.getOpenApi);
    expect([...new Set(allowedActions(functionId))].sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    expect(fn.Properties.Environment).toEqual({ Variables: functionEnvironment });
  });
});

test('outputs name the API, bucket, table and operator key secret', () => {
  for (const name of ['ApiUrl', 'BucketName', 'TableName']) template.hasOutput(name, {});
  template.hasOutput('OperatorKeySecretArn', { Description: Match.stringLikeRegexp('aws secretsmanager get-secret-value') });
});

describe('public address', () => {
  const environmentOf = (fn: Resource) => ((fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
  const printing = new Set([`${routes.issueResetLetter.method} ${routes.issueResetLetter.path}`, workers.printLetters.summary]);

  test('the functions that print letters, and only they, get the API\'s own URL as PUBLIC_URL', () => {
    const [apiId] = only('AWS::ApiGatewayV2::Api', {});
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function')) as Resource[]) {
      const variables = environmentOf(fn);
      if (!printing.has(fn.Properties.Description as string)) {
        expect(variables.PUBLIC_URL).toBeUndefined();
        continue;
      }
      expect(JSON.stringify(variables.PUBLIC_URL)).toContain(JSON.stringify({ Ref: apiId }));
    }
  });

  test('a custom domain given as -c publicUrl is printed instead', () => {
    const custom = new App({ context: { 'aws:cdk:bundling-stacks': [], publicUrl: 'https://join.acme.example' } });
    const functions = Object.values(Template.fromStack(new EmaillessStack(custom, 'Custom')).findResources('AWS::Lambda::Function')) as Resource[];
    const printers = functions.filter((fn) => printing.has(fn.Properties.Description as string));
    expect(printers).toHaveLength(2);
    for (const fn of printers) expect(environmentOf(fn).PUBLIC_URL).toBe('https://join.acme.example');
  });
});

describe('listing index', () => {
  test('projects nothing secret and nothing a sign-in writes', () => {
    const [table] = Object.values(template.findResources('AWS::DynamoDB::Table')) as { Properties: { GlobalSecondaryIndexes: { IndexName: string; Projection: { NonKeyAttributes?: string[] } }[] } }[];
    const projected = table!.Properties.GlobalSecondaryIndexes.find((index) => index.IndexName === 'gsi2')!.Projection.NonKeyAttributes!;
    for (const attribute of ['passwordHash', 'sessions', 'devices', 'sessionVersion', 'codeHash', 'mustChangePassword']) expect(projected).not.toContain(attribute);
  });
});
