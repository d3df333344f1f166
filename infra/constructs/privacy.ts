/**
 * The customer's rights: the privacy function answers `Access Requested` (an export of
 * everything held about one customer, written to the exports bucket) and `Erasure Requested`
 * (a tombstone left, every other item deleted, the customer's quarantined records removed,
 * `Customer Erased` announced). Requests come as events on the bus or as a
 * direct invocation by an operator (npm run privacy).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { MicroMomentsConfig } from '../../shared/config';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../shared/contracts/events';
import { ENV, type ResourceNames } from '../../shared/names';
import { PipelineFunction } from '../lib/function';
import { grantStores } from '../lib/store-grants';
import { acknowledge } from '../lib/nag';
import { terminalQueue } from '../lib/queue';
import { statefulRemovalPolicy } from '../lib/removal';

export interface PrivacyProps {
  config: MicroMomentsConfig;
  names: ResourceNames;
  key: kms.IKey;
  table: dynamodb.ITable;
  bus: events.IEventBus;
  pepper: secretsmanager.ISecret;
  /** Erasure removes the customer's records from it (shared/privacy/quarantine-purge.ts). */
  quarantine: sqs.IQueue;
}

/** Access exports are for handing over, not for keeping: gone after a week. */
export const EXPORT_EXPIRY_DAYS = 7;
/** The most EventBridge allows: a privacy request must not be dropped while the function is down. */
const PRIVACY_RULE_RETRIES = 185;

export class Privacy extends Construct {
  readonly function: PipelineFunction;
  readonly exports: s3.Bucket;
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: PrivacyProps) {
    super(scope, id);
    const { config, names, key, table, bus } = props;

    this.exports = new s3.Bucket(this, 'Exports', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-exports', expiration: Duration.days(EXPORT_EXPIRY_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: statefulRemovalPolicy(config),
    });
    acknowledge(
      this.exports,
      'AwsSolutions-S1',
      'The bucket only holds access exports that expire after seven days and only the privacy role can write them; each export is recorded by the privacy function, and a server-access-log bucket cannot use the SSE-KMS key this data requires.',
    );

    this.function = new PipelineFunction(this, 'Function', {
      service: 'privacy',
      entryFolder: 'privacy',
      settings: config.functions.privacy,
      config,
      names,
      key,
      description: 'Access Requested → export of one customer; Erasure Requested → delete every item, Customer Erased',
      environment: {
        [ENV.table]: table.tableName,
        [ENV.bus]: bus.eventBusName,
        [ENV.pepperSecretArn]: props.pepper.secretArn,
        [ENV.exportBucket]: this.exports.bucketName,
        [ENV.quarantineQueueUrl]: props.quarantine.queueUrl,
      },
    });
    const role = this.function.role;
    grantStores(table, role, ['customers']);
    // Receive, delete, make visible again: an erasure searches the quarantine for the customer's records.
    props.quarantine.grantConsumeMessages(role);
    key.grant(role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
    bus.grantPutEventsTo(role);
    props.pepper.grantRead(role);
    // PutObject only (no read, list or delete): the function writes exports, people read them.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.exports.arnForObjects('*')] }));
    const bucketId = Stack.of(this).resolve(Stack.of(this).getLogicalId(this.exports.node.defaultChild as s3.CfnBucket)) as string;
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
      'Export object keys are per request (customer key and request id) and unknown at deploy time; the statement is PutObject only, on this one bucket.',
    );

    this.deadLetterQueue = terminalQueue(this, 'RuleDlq', {
      key,
      retentionDays: config.retention.queueDays,
      removalPolicy: statefulRemovalPolicy(config),
      holds: 'access and erasure requests that EventBridge could not deliver to the privacy function',
    });
    this.rule = new events.Rule(this, 'Requests', {
      eventBus: bus,
      description: 'Access and erasure requests to the privacy function',
      eventPattern: { source: [EVENT_SOURCE], detailType: [DETAIL_TYPES.accessRequested, DETAIL_TYPES.erasureRequested] },
    });
    this.rule.addTarget(
      new targets.LambdaFunction(this.function.fn, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: PRIVACY_RULE_RETRIES,
        maxEventAge: Duration.hours(24),
      }),
    );
    this.failures = terminalQueue(this, 'Failures', {
      key,
      retentionDays: config.retention.queueDays,
      removalPolicy: statefulRemovalPolicy(config),
      holds: 'privacy requests the function failed on after Lambda asynchronous retries',
    });
    this.function.fn.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(this.failures), retryAttempts: 2, maxEventAge: Duration.hours(6) });
  }
}
