/**
 * The stack's customer-managed KMS key: streams, table, queues, topics, secrets, log groups and
 * the export bucket are all encrypted with it, so revoking it (or disabling it) makes every copy
 * of the data unreadable at once, and CloudTrail shows every use.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { MicroMomentsConfig } from '../../shared/config';
import { PROJECT } from '../../shared/names';
import { statefulRemovalPolicy } from '../lib/removal';

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
      removalPolicy: statefulRemovalPolicy(props.config),
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
    // CloudWatch publishes alarm notifications to the encrypted alarm topic as a service, not
    // through a role of ours: the statement SNS documents for CloudWatch (sns-key-management,
    // "compatibility with AWS services"), held to this account. EventBridge's statements (bus,
    // archive, dead-letter queues) are beside the bus, in constructs/events.ts.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
  }
}
