/**
 * The stack's customer-managed KMS key: streams, table, queues, topics, secrets, log groups and
 * the export bucket are all encrypted with it, so revoking it (or disabling it) makes every copy
 * of the data unreadable at once, and CloudTrail shows every use.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { MicroMomentsConfig } from '../../shared/config';
import { PROJECT } from '../../shared/names';

export interface EncryptionProps {
  config: MicroMomentsConfig;
}

export class Encryption extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptionProps) {
    super(scope, id);
    const { stage, devStages } = props.config;
    const dev = devStages.includes(stage);
    const { region, account, partition } = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      alias: `alias/${PROJECT}-${stage}`,
      description: `${PROJECT} ${stage}: encrypts every store of customer data in this stack`,
      enableKeyRotation: true,
      removalPolicy: dev ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(dev ? 7 : 30),
    });

    // CloudWatch Logs encrypts the functions' log groups with this key, and only this stack's.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsForThisStackLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/${PROJECT}-${stage}-*` },
        },
      }),
    );
    // EventBridge writes undeliverable events to the rules' encrypted DLQs; CloudWatch publishes
    // alarms to the encrypted alarm topic. Both act as services, not through a role of ours.
    for (const [sid, service] of [
      ['EventBridgeToEncryptedDeadLetterQueues', 'events.amazonaws.com'],
      ['CloudWatchAlarmsToEncryptedTopic', 'cloudwatch.amazonaws.com'],
    ] as const) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': account } },
        }),
      );
    }
  }
}
