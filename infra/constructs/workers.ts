import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LambdaDestination as LambdaFailureDestination, SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
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
 * failed invocation twice; then it hands the invocation to the failure-destination worker,
 * which marks the import or export failed (so the console stops waiting). Should that fail
 * too, the invocation lands in a dead-letter queue. Both raise an alarm (constructs/monitoring.ts).
 */
export class Workers extends Construct {
  readonly functions = new Map<WorkerName, ProjectFunction>();
  readonly failures: Queue;
  /** The worker Lambda hands given-up invocations to (it marks the job failed). */
  readonly failureDestination: ProjectFunction;

  constructor(scope: Construct, id: string, props: WorkersProps) {
    super(scope, id);
    this.failures = new Queue(this, 'FailedInvocations', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination for the workers\' failed invocations; it has nothing further to send on.',
    });

    const make = (worker: WorkerSpec & { name: WorkerName }) => {
      const fn = new ProjectFunction(this, `${pascal(worker.name)}Function`, {
        handler: worker.handler,
        description: worker.summary,
        memoryMb: worker.memoryMb,
        timeoutSeconds: worker.timeoutSeconds,
        ...(worker.nodeFlags ? { nodeFlags: worker.nodeFlags } : {}),
      });
      fn.bindNeeds(worker.needs, props.resources);
      this.functions.set(worker.name, fn);
      return fn;
    };

    const destinations = props.workers.filter((worker) => worker.trigger.kind === 'failureDestination');
    if (destinations.length !== 1) throw new Error('Exactly one worker must be the failure destination');
    const markFailed = (this.failureDestination = make(destinations[0]!));
    markFailed.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(this.failures) });

    for (const worker of props.workers) {
      if (worker.trigger.kind === 'failureDestination') continue;
      const fn = make(worker);
      fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new LambdaFailureDestination(markFailed) });
      fn.acknowledgeInvokeGrant(markFailed, 'The failure destination grant lets Lambda hand a given-up invocation to the one worker that marks jobs failed (arn:* covers its versions), nothing else.');
      if (worker.invokesItself) {
        // A policy of its own: in the role's default policy, the function's own ARN would make the function depend on itself.
        new Policy(this, `${pascal(worker.name)}InvokesItself`, {
          statements: [new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] })],
        }).attachToRole(fn.role!);
      }
      if (worker.trigger.kind === 's3') {
        props.resources.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), {
          prefix: worker.trigger.prefix,
          suffix: worker.trigger.suffix,
        });
      }
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
