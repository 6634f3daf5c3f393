import { App, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FileBucket } from '../../infra/constructs/bucket';
import { ProjectFunction } from '../../infra/constructs/project-function';
import { AppSecrets } from '../../infra/constructs/secrets';
import { AppTable } from '../../infra/constructs/table';

// No route uses the bucket or the code key yet, so the bindings are checked here on their own.
// Bundling is skipped, so any existing file serves as the entry: this one.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new Stack(app, 'Bindings');
const table = new AppTable(stack, 'Table');
const files = new FileBucket(stack, 'Files');
const secrets = new AppSecrets(stack, 'Secrets');
const fn = new ProjectFunction(stack, 'Importer', { handler: 'test/infra/project-function.test.ts', memoryMb: 1024, timeoutSeconds: 300 });
fn.bindNeeds(
  { table: 'readWrite', bucket: 'readWrite', secrets: ['codeKey'] },
  { table, bucket: files.bucket, secrets: { operatorKey: secrets.operatorKey, codeKey: secrets.codeKey }, publicUrl: 'https://emailless.example' },
);
const checks = new AwsSolutionsChecks(app);
const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
Validations.of(app).addPlugins(checks);
const template = Template.fromStack(stack);

test('bindNeeds sets each resource\'s environment variable', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    MemorySize: 1024,
    Timeout: 300,
    Environment: {
      Variables: Match.objectLike({
        TABLE_NAME: { Ref: logicalId(table) },
        BUCKET_NAME: { Ref: logicalId(files.bucket) },
        CODE_KEY_SECRET_ARN: { Ref: logicalId(secrets.codeKey) },
        OPERATOR_KEY_SECRET_ARN: Match.absent(),
      }),
    },
  });
});

test('bucket access is object reads and writes only', () => {
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(files.bucket), 'Arn'] }, '/*']] },
        },
      ]),
    },
  });
});

test('the wildcards the bindings need are acknowledged, nothing else is reported', () => {
  expect(checks.validateScope(app).violations.map((violation) => violation.ruleName)).toEqual([]);
});
