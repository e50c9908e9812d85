import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  readonly queueName: string;
  /** Whose dead letters it holds, and why it is named directly rather than by an SQS redrive policy (cdk-nag SQS3). */
  readonly reason: string;
}

/**
 * A dead-letter queue as every stack makes them: encrypted (SQS managed), TLS only, messages kept
 * 14 days. Made in `scope` under `id` (no wrapper construct, so logical ids stay as they were).
 * Its own dead-letter queue would be pointless: cdk-nag's SQS3 is acknowledged with `reason`.
 */
export function deadLetterQueue(scope: Construct, id: string, props: DeadLetterQueueProps): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    queueName: props.queueName,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge(
    { id: 'AwsSolutions-SQS3', reason: props.reason },
    { id: 'Serverless-SQSRedrivePolicy', reason: props.reason },
  );
  return queue;
}
