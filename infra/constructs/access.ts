/**
 * What the stack hands to the teams around it, as IAM managed policies they attach to their own
 * roles (same account). Producers: write signals, nothing else. Subscribers: read the enriched
 * stream and replay the moment archive. Both streams are encrypted with the stack's key, so the
 * key use is part of each policy: writers need kms:GenerateDataKey, readers kms:Decrypt (the key
 * policy lets the account's IAM policies grant it).
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { ResourceNames } from '../../shared/names';
import { acknowledge } from '../lib/nag';

export interface AccessProps {
  names: ResourceNames;
  key: kms.IKey;
  signals: kinesis.IStream;
  enriched: kinesis.IStream;
  archive: events.Archive;
}

/** Writing a signal: PutRecord(s) on the signals stream, and a data key to encrypt it with. */
export const PRODUCER_ACTIONS = { stream: ['kinesis:PutRecord', 'kinesis:PutRecords'], key: ['kms:GenerateDataKey'] } as const;

/** Reading the enriched stream with shared throughput (GetRecords), as a KCL or Lambda consumer does. */
export const SUBSCRIBER_STREAM_ACTIONS = [
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
  'kinesis:ListShards',
  'kinesis:GetShardIterator',
  'kinesis:GetRecords',
] as const;

/** Replaying the archive (to the bus, for the subscriber's own rules), and following the replay. */
export const SUBSCRIBER_ARCHIVE_ACTIONS = ['events:DescribeArchive', 'events:StartReplay'] as const;
export const SUBSCRIBER_REPLAY_ACTIONS = ['events:DescribeReplay', 'events:CancelReplay'] as const;

export class Access extends Construct {
  readonly producerPolicy: iam.ManagedPolicy;
  readonly subscriberPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AccessProps) {
    super(scope, id);
    const { names, key } = props;

    // Names left to CloudFormation: IAM names are global to the account, and the same stage may be
    // deployed in two regions. Teams find the policies by the stack's outputs.
    this.producerPolicy = new iam.ManagedPolicy(this, 'Producer', {
      description: `Write signals to ${names.signalsStream} (PutRecord, PutRecords) with the stack's key`,
      statements: [
        new iam.PolicyStatement({ sid: 'WriteSignals', actions: [...PRODUCER_ACTIONS.stream], resources: [props.signals.streamArn] }),
        new iam.PolicyStatement({ sid: 'EncryptSignals', actions: [...PRODUCER_ACTIONS.key], resources: [key.keyArn] }),
      ],
    });

    // Replay names are the caller's choice, made per replay: the policy holds them to the stage's
    // prefix, so a subscriber can follow and cancel its own replays and no other stage's.
    const { partition, region, account } = Stack.of(this);
    const replays = `arn:${partition}:events:${region}:${account}:replay/${names.function('')}*`;
    this.subscriberPolicy = new iam.ManagedPolicy(this, 'Subscriber', {
      description: `Read ${names.enrichedStream} and replay the ${names.archive} archive`,
      statements: [
        new iam.PolicyStatement({ sid: 'ReadEnrichedStream', actions: [...SUBSCRIBER_STREAM_ACTIONS], resources: [props.enriched.streamArn] }),
        new iam.PolicyStatement({ sid: 'DecryptEnrichedRecords', actions: ['kms:Decrypt'], resources: [key.keyArn] }),
        new iam.PolicyStatement({ sid: 'ReplayMomentArchive', actions: [...SUBSCRIBER_ARCHIVE_ACTIONS], resources: [props.archive.archiveArn] }),
        new iam.PolicyStatement({ sid: 'FollowOwnReplays', actions: [...SUBSCRIBER_REPLAY_ACTIONS], resources: [replays] }),
      ],
    });
    // cdk-nag shows an unresolved pseudo parameter as <AWS::Name>, a known one (an env) as is.
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    acknowledge(
      this.subscriberPolicy,
      `AwsSolutions-IAM5[Resource::arn:${shown(partition, 'Partition')}:events:${shown(region, 'Region')}:${shown(account, 'AccountId')}:replay/${names.function('')}*]`,
      'Replay names are chosen by the subscriber for each replay, so they are unknown at deploy time; the resource is held to this stage prefix and to DescribeReplay and CancelReplay.',
    );
  }
}
