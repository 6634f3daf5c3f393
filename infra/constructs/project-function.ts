import * as path from 'node:path';
import { CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import type { Needs } from '../../shared/api/route-spec';
import { metricNamespace } from '../../shared/core/metric-names';
import { lambdaBundling } from '../bundling';
import { EXPORTS_PREFIX, IMPORTS_PREFIX, LETTERS_PREFIX } from './bucket';

const bucketPrefixes = [IMPORTS_PREFIX, EXPORTS_PREFIX, LETTERS_PREFIX];

const REPO_ROOT = path.resolve(__dirname, '../..');

const LOG_LEVEL = 'info';

export type SecretName = NonNullable<Needs['secrets']>[number];

/** Everything a route's `needs` can ask for. */
export interface BindableResources {
  table: ITable;
  bucket: IBucket;
  secrets: Record<SecretName, ISecret>;
  /** Workers routes may start in the background; made before the API's functions. */
  workers?: Partial<Record<InvokedWorker, IFunction>>;
  /** The address people open, printed in letters: a custom domain, or the API's own URL (a token resolved at synth). */
  publicUrl: string;
}

type InvokedWorker = NonNullable<Needs['invoke']>[number];

/** The variable that names each invocable worker to the function that starts it (see shared/config.ts). */
const workerEnvNames: Record<InvokedWorker, string> = { exportInvitations: 'EXPORT_FUNCTION_NAME', printLetters: 'LETTERS_FUNCTION_NAME', sweepTenant: 'TENANT_SWEEP_FUNCTION_NAME' };

const secretEnvNames: Record<SecretName, string> = {
  operatorKey: 'OPERATOR_KEY_SECRET_ARN',
  codeKey: 'CODE_KEY_SECRET_ARN',
};

export interface ProjectFunctionProps {
  /** Handler file relative to the repository root; it exports `handler`. */
  handler: string;
  description?: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  /** Node.js flags beyond source maps, set as NODE_OPTIONS. */
  nodeFlags?: readonly string[];
}

/**
 * A Lambda function with the project's defaults: Node.js 24 on arm64, a minified CommonJS
 * esbuild bundle with source maps and the AWS SDK inside (at the version the tests ran), a log group kept
 * a month, X-Ray tracing, and a role that may only write to that log group and send traces until a
 * `bind…` helper grants more. Powertools is told the stack's name as its service, so two
 * deployments in one account keep their metrics apart (the dashboard and alarms filter on it).
 */
export class ProjectFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    // Created beside the function because they must exist before `super()`.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: path.join(REPO_ROOT, props.handler),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? 256,
      timeout: Duration.seconds(props.timeoutSeconds ?? 10),
      logGroup,
      role,
      tracing: Tracing.ACTIVE,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        minify: lambdaBundling.minify,
        sourceMap: lambdaBundling.sourceMap,
        target: lambdaBundling.target,
        format: OutputFormat.CJS,
        externalModules: [...lambdaBundling.externalModules],
        mainFields: [...lambdaBundling.mainFields],
        loader: { ...lambdaBundling.loader },
      },
      environment: {
        NODE_OPTIONS: ['--enable-source-maps', ...(props.nodeFlags ?? [])].join(' '),
        LOG_LEVEL,
        BCRYPT_COST: '11',
        POWERTOOLS_SERVICE_NAME: Stack.of(scope).stackName,
        POWERTOOLS_METRICS_NAMESPACE: metricNamespace,
        POWERTOOLS_LOG_LEVEL: LOG_LEVEL.toUpperCase(),
        POWERTOOLS_TRACE_ENABLED: 'true',
        // Answers carry session tokens and access codes, and events passwords: neither goes into a trace or a log.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
      },
    });

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The runtime is fixed at Node.js 24 (bundles target node24; the local stack and CI run Node.js 24 from the node devDependency); moving on is a deliberate decision.',
    });
    this.acknowledgeWildcard(
      'Resource::*',
      'Active tracing grants xray:PutTraceSegments and xray:PutTelemetryRecords, which take no resource-level permissions (test/infra/monitoring.test.ts checks that no other action gets Resource *).',
    );
  }

  /** Applies a route's `needs`: each resource it names is bound, nothing else is granted. */
  bindNeeds(needs: Needs, resources: BindableResources): void {
    if (needs.table) this.bindTable(resources.table, needs.table);
    if (needs.bucket) this.bindBucket(resources.bucket, needs.bucket);
    for (const name of needs.secrets ?? []) this.bindSecret(resources.secrets[name], secretEnvNames[name]);
    for (const name of needs.invoke ?? []) {
      const worker = resources.workers?.[name];
      if (!worker) throw new Error(`No worker ${name} to bind`);
      this.addEnvironment(workerEnvNames[name], worker.functionName);
      worker.grantInvoke(this);
      this.acknowledgeWildcard(`Resource::<${logicalIdOf(worker)}.Arn>:*`, 'grantInvoke also covers the versions and aliases (arn:*) of the one worker this function starts, and nothing else.');
    }
    // Presigned URLs name the bucket's regional endpoint (virtual-hosted style).
    if (needs.uploadOrigin) this.addEnvironment('UPLOAD_ORIGIN', `https://${resources.bucket.bucketRegionalDomainName}`);
    if (needs.publicUrl) this.addEnvironment('PUBLIC_URL', resources.publicUrl);
  }

  bindTable(table: ITable, mode: 'read' | 'readWrite'): void {
    this.addEnvironment('TABLE_NAME', table.tableName);
    if (mode === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    this.acknowledgeWildcard(
      `Resource::<${logicalIdOf(table)}.Arn>/index/*`,
      'Table grants include <table>/index/* so the function can query gsi1 (the only index), e.g. invitations by code hash.',
    );
  }

  /**
   * Object-level access, plus s3:ListBucket limited to our prefixes: without it S3 answers
   * a missing object (an expired upload or report) with 403 instead of 404.
   */
  bindBucket(bucket: IBucket, mode: 'read' | 'write' | 'readWrite' | 'delete'): void {
    this.addEnvironment('BUCKET_NAME', bucket.bucketName);
    const actions = {
      read: ['s3:GetObject'],
      write: ['s3:PutObject', 's3:AbortMultipartUpload'],
      readWrite: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      delete: ['s3:DeleteObject'],
    }[mode];
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [bucket.arnForObjects('*')] }));
    if (mode !== 'write') {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': bucketPrefixes.map((prefix) => `${prefix}*`) } } }),
      );
    }
    this.acknowledgeWildcard(
      `Resource::<${logicalIdOf(bucket)}.Arn>/*`,
      'Object keys are generated per tenant and per import/export at run time, so the grant names the bucket\'s objects.',
    );
  }

  bindSecret(secret: ISecret, envName: string): void {
    this.addEnvironment(envName, secret.secretArn);
    secret.grantRead(this);
  }

  /** Invoke grants (this function's, or Lambda's on its behalf for a destination) cover the worker's versions and aliases too. */
  acknowledgeInvokeGrant(worker: IFunction, reason: string): void {
    this.acknowledgeWildcard(`Resource::<${logicalIdOf(worker)}.Arn>:*`, reason);
  }

  private acknowledgeWildcard(finding: string, reason: string): void {
    if (!this.role) throw new Error('ProjectFunction always has a role');
    Validations.of(this.role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
}

/** The CloudFormation logical ID of a resource defined in this app, as cdk-nag names it in findings. */
function logicalIdOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(resource).resolve(resource.logicalId) as string;
}
