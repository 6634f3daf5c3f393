import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WorkerName, WorkerSpec } from '../workers';
import { ProjectFunction, type BindableResources } from './project-function';

export interface WorkersProps {
  workers: readonly (WorkerSpec & { name: WorkerName })[];
  resources: BindableResources & { bucket: IBucket };
}

const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/**
 * The functions no route calls: S3-triggered or invoked asynchronously. Lambda retries a
 * failed invocation twice; what still fails lands in a dead-letter queue with an alarm.
 */
export class Workers extends Construct {
  readonly functions = new Map<WorkerName, ProjectFunction>();
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: WorkersProps) {
    super(scope, id);
    this.failures = new Queue(this, 'FailedInvocations', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    new Alarm(this, 'FailedInvocationsAlarm', {
      alarmDescription: 'An import or export failed after Lambda\'s retries: see the failed-invocations queue.',
      metric: this.failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination for the workers\' failed invocations; it has nothing further to send on.',
    });

    for (const worker of props.workers) {
      const fn = new ProjectFunction(this, `${pascal(worker.name)}Function`, {
        handler: worker.handler,
        description: worker.summary,
        memoryMb: worker.memoryMb,
        timeoutSeconds: worker.timeoutSeconds,
      });
      fn.bindNeeds(worker.needs, props.resources);
      fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(this.failures) });
      if (worker.trigger.kind === 's3') {
        props.resources.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), {
          prefix: worker.trigger.prefix,
          suffix: worker.trigger.suffix,
        });
      }
      this.functions.set(worker.name, fn);
    }
    // CDK configures bucket notifications with a singleton function of its own.
    const notificationsHandler = Stack.of(this).node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK\'s own BucketNotificationsHandler (it writes the bucket\'s notification configuration at deploy time) comes with this managed policy and cannot take a custom role here.',
      });
    }
  }
}
