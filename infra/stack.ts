import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { fallbackRoute, routeList } from '../shared/api/routes';
import { Api } from './constructs/api';
import { FileBucket } from './constructs/bucket';
import { Monitoring } from './constructs/monitoring';
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
    // `cdk deploy -c alarmEmail=ops@example.org` subscribes that address to the alarms (it must confirm); others: aws sns subscribe.
    const alarmEmail = this.node.tryGetContext('alarmEmail') as string | undefined;
    if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) throw new Error(`alarmEmail must be an email address, not ${alarmEmail}`);
    const workers = new Workers(this, 'Workers', { workers: workerList, resources });
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
    const monitoring = new Monitoring(this, 'Monitoring', { httpApi: api.httpApi, table, workers, ...(alarmEmail ? { alarmEmail } : {}) });

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'BucketName', { value: files.bucket.bucketName, description: 'Bucket for imports/, exports/ and letters/' });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.topic.topicArn, description: 'Alarms (5xx rate, failed jobs, sign-in failure spikes, DynamoDB throttles): subscribe to be told' });
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName, description: 'The CloudWatch dashboard of this stack' });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'The single DynamoDB table' });
    new CfnOutput(this, 'OperatorKeySecretArn', {
      value: secrets.operatorKey.secretArn,
      description: 'Read the operator key with: aws secretsmanager get-secret-value --secret-id <this ARN> --query SecretString --output text',
    });
  }
}
