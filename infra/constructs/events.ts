/**
 * The custom event bus and what hangs off it: an archive of every `Moment Detected` (replay), the
 * schema registry with the published events (subscribers generate bindings from it), and one
 * rule per routing rule of the configuration, whose pattern is deployed exactly as configured:
 * the same pattern the local bus matches with, so routing cannot differ between AWS and local.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventschemas from 'aws-cdk-lib/aws-eventschemas';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { MicroMomentsConfig, RoutingRule } from '../../shared/config';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../shared/contracts/events';
import type { ResourceNames } from '../../shared/names';
import { envelopeSchema, PUBLISHED_EVENTS } from '../lib/event-schemas';
import { terminalQueue } from '../lib/queue';
import { statefulRemovalPolicy } from '../lib/removal';

export interface EventsProps {
  config: MicroMomentsConfig;
  names: ResourceNames;
  key: kms.Key;
}

/** EventBridge's own limits: retries in [0, 185], event age in [60 s, 24 h]. */
export const RULE_TARGET_RETRY_ATTEMPTS = 8;

export interface RoutedRule {
  rule: events.Rule;
  config: RoutingRule;
  deadLetterQueue: sqs.Queue;
}

/**
 * The key policy statements EventBridge needs, each as AWS documents it:
 * - kms:DescribeKey, to check the key when the bus or archive is created or updated. The request
 *   carries no encryption context, so the statement has no condition on one (encryption-archives:
 *   the DescribeKey statement of AWS's example policy has no condition at all).
 * - The bus: GenerateDataKey and Decrypt for this bus only, by aws:SourceAccount, aws:SourceArn and
 *   the bus ARN as encryption context (eb-encryption-key-policy, "Security when using customer
 *   managed keys").
 * - The archive: GenerateDataKey, Decrypt and ReEncrypt* under the bus ARN as encryption context
 *   (encryption-archives, "AWS KMS key policy for archives").
 * - The rules' dead-letter queues: EventBridge sends undeliverable events to the encrypted queues
 *   as a service and SQS calls KMS on its behalf. The statement is the one SQS documents for AWS
 *   services writing to an encrypted queue (sqs-key-management, "Configure KMS permissions for AWS
 *   services"): no aws:Source* condition, because that request need not carry those keys, and a
 *   condition that does not match drops every dead letter without a trace. Which rules may write
 *   is held by the queues' own policies: SendMessage for events.amazonaws.com from this stack's
 *   rule ARNs only (aws:SourceArn, added by CDK with each dead-letter queue).
 */
export function allowEventBridge(key: kms.Key, busArn: string): void {
  const eventBridge = new iam.ServicePrincipal('events.amazonaws.com');
  const busContext = { 'kms:EncryptionContext:aws:events:event-bus:arn': busArn };
  const statements: iam.PolicyStatementProps[] = [
    { sid: 'EventBridgeDescribeKey', actions: ['kms:DescribeKey'] },
    {
      sid: 'EventBridgeBusOfThisStack',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(key).account, 'aws:SourceArn': busArn, ...busContext } },
    },
    { sid: 'EventBridgeArchiveOfThisStackBus', actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncrypt*'], conditions: { StringEquals: busContext } },
    { sid: 'EventBridgeToEncryptedDeadLetterQueues', actions: ['kms:Decrypt', 'kms:GenerateDataKey'] },
  ];
  for (const statement of statements) key.addToResourcePolicy(new iam.PolicyStatement({ ...statement, principals: [eventBridge], resources: ['*'] }));
}

/** The configuration's raw EventBridge pattern as the L2 type (only `detail-type` is renamed). */
export function toCdkEventPattern(pattern: Record<string, unknown>): events.EventPattern {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType !== undefined ? { detailType } : {}) } as events.EventPattern;
}

export class Events extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  readonly registry: eventschemas.CfnRegistry;
  readonly schemas: eventschemas.CfnSchema[] = [];
  readonly routes: RoutedRule[] = [];
  private readonly props: EventsProps;

  constructor(scope: Construct, id: string, props: EventsProps) {
    super(scope, id);
    this.props = props;
    const { config, names, key } = props;

    // An imported reference to the stack's key, for the bus and the archive alike: their L2s
    // would otherwise write statements of their own into the key policy — the archive's through
    // the bus's GetAtt ARN, a cycle (key → bus → key), the bus's with kms:DescribeKey under an
    // encryption-context condition that a DescribeKey request never carries. The statements
    // EventBridge needs are added below, as AWS documents them (allowEventBridge).
    const keyReference = kms.Key.fromKeyArn(this, 'BusKey', key.keyArn);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: names.bus,
      description: `${EVENT_SOURCE} ${config.stage}: Moment Detected, Notification Sent|Suppressed, Customer Erased, privacy requests`,
      kmsKey: keyReference,
    });
    this.archive = new events.Archive(this, 'MomentArchive', {
      archiveName: names.archive,
      sourceEventBus: this.bus,
      description: 'Every Moment Detected, for replay to a new or repaired subscriber',
      eventPattern: { source: [EVENT_SOURCE], detailType: [DETAIL_TYPES.momentDetected] },
      retention: Duration.days(config.retention.archiveDays),
      kmsKey: keyReference,
    });
    allowEventBridge(key, Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: names.bus }));

    this.registry = new eventschemas.CfnRegistry(this, 'SchemaRegistry', {
      registryName: names.schemaRegistry,
      description: `Schemas of the events ${EVENT_SOURCE} publishes (detail versioned, version 1)`,
    });
    for (const event of PUBLISHED_EVENTS) {
      this.schemas.push(
        new eventschemas.CfnSchema(this, event.schemaName.replace(/[^A-Za-z0-9]/g, ''), {
          registryName: this.registry.attrRegistryName,
          schemaName: event.schemaName,
          type: 'JSONSchemaDraft4',
          description: `source ${EVENT_SOURCE}, detail-type ${event.detailType}`,
          content: JSON.stringify(envelopeSchema(event)),
        }),
      );
    }
  }

  /** One rule per routing rule, to the notify function of its channel, with its own DLQ. */
  route(notifiers: ReadonlyMap<string, lambda.IFunction>): void {
    const { config, key } = this.props;
    // Past the guardrails' relevance window a moment is suppressed anyway: retrying delivery any
    // longer would only deliver something that will not be sent.
    const maxEventAge = Duration.minutes(Math.min(24 * 60, Math.max(1, config.guardrails.maxMomentAgeMinutes)));
    for (const routing of config.routing) {
      const target = notifiers.get(routing.target);
      if (!target) throw new Error(`routing rule ${routing.name} targets channel ${routing.target}, which has no notify function`);
      const deadLetterQueue = terminalQueue(this, `${routing.name}-Dlq`, {
        key,
        retentionDays: config.retention.queueDays,
        removalPolicy: statefulRemovalPolicy(config),
        holds: `Moment Detected events that rule ${routing.name} could not deliver to notify-${routing.target}`,
      });
      const rule = new events.Rule(this, `Rule-${routing.name}`, {
        eventBus: this.bus,
        description: `${routing.name}: ${routing.description}`.slice(0, 512),
        eventPattern: toCdkEventPattern(routing.pattern),
      });
      // The L2 renders the same JSON; the override makes the deployed pattern the configured
      // object itself, whatever keys a future EventBridge feature adds to patterns.
      (rule.node.defaultChild as events.CfnRule).addPropertyOverride('EventPattern', routing.pattern);
      rule.addTarget(
        new targets.LambdaFunction(target, { deadLetterQueue, retryAttempts: RULE_TARGET_RETRY_ATTEMPTS, maxEventAge }),
      );
      this.routes.push({ rule, config: routing, deadLetterQueue });
    }
  }
}
