import { CfnOutput, Lazy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { fallbackRoute, routeList } from '../shared/api/routes';
import { Api } from './constructs/api';
import { FileBucket } from './constructs/bucket';
import { AppSecrets } from './constructs/secrets';
import { AppTable } from './constructs/table';
import { Workers } from './constructs/workers';
import { workerList } from './workers';

export class EmaillessStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const table = new AppTable(this, 'Table');
    const files = new FileBucket(this, 'Files');
    const secrets = new AppSecrets(this, 'Secrets');
    // Letters print the address people open: `cdk deploy -c publicUrl=https://…` for a custom domain, else the API's URL.
    const made: { api?: Api } = {};
    const customUrl = this.node.tryGetContext('publicUrl') as string | undefined;
    if (customUrl !== undefined && !/^https:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(customUrl)) throw new Error(`publicUrl must be an https:// address without query or fragment, not ${customUrl}`);
    const publicUrl = customUrl ?? Lazy.string({ produce: () => made.api!.url });
    const resources = { table, bucket: files.bucket, secrets: { operatorKey: secrets.operatorKey, codeKey: secrets.codeKey }, publicUrl };
    // Subscribe whoever runs the stack: aws sns subscribe --topic-arn <AlarmTopicArn> --protocol email ...
    const alarms = new Topic(this, 'Alarms', { displayName: 'Emailless alarms', enforceSSL: true });
    Validations.of(alarms).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: 'Alarm notifications carry no personal data; CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer key for this alone is not worth its cost.',
    });
    const workers = new Workers(this, 'Workers', { workers: workerList, resources, alarmAction: new SnsAction(alarms) });
    const api = (made.api = new Api(this, 'Api', {
      routes: routeList,
      fallback: fallbackRoute,
      resources: {
        ...resources,
        workers: {
          exportInvitations: workers.functions.get('exportInvitations')!,
          printLetters: workers.functions.get('printLetters')!,
          sweepTenant: workers.functions.get('sweepTenant')!,
        },
      },
    }));

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'BucketName', { value: files.bucket.bucketName, description: 'Bucket for imports/, exports/ and letters/' });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topicArn, description: 'Alarms (a worker gave up, a failed invocation queued): subscribe to be told' });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'The single DynamoDB table' });
    new CfnOutput(this, 'OperatorKeySecretArn', {
      value: secrets.operatorKey.secretArn,
      description: 'Read the operator key with: aws secretsmanager get-secret-value --secret-id <this ARN> --query SecretString --output text',
    });
  }
}
