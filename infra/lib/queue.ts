/**
 * The stack's SQS queues: quarantine, on-failure destinations, rule DLQs. All are terminal (the
 * place where failed work waits to be redriven), encrypted with the stack's key, TLS only.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

export interface TerminalQueueProps {
  key: kms.IKey;
  retentionDays: number;
  /** Physical name; omitted where a generated one avoids SQS's 80-character limit. */
  queueName?: string;
  /** What the queue holds, for the SQS3 acknowledgement: it is itself the dead end. */
  holds: string;
  /** statefulRemovalPolicy(config): failed work is data, kept like the table outside dev stages. */
  removalPolicy: RemovalPolicy;
}

export function terminalQueue(scope: Construct, id: string, props: TerminalQueueProps): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    queueName: props.queueName,
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: props.key,
    // Data keys are reused for 5 minutes: fewer KMS calls per message at no loss of protection.
    dataKeyReuse: Duration.minutes(5),
    enforceSSL: true,
    retentionPeriod: Duration.days(props.retentionDays),
    removalPolicy: props.removalPolicy,
  });
  acknowledge(
    queue,
    'AwsSolutions-SQS3',
    `This queue is itself a dead-letter destination (${props.holds}); messages are inspected and redriven by an operator, so a further DLQ would only move them again.`,
  );
  return queue;
}
