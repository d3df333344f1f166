/**
 * The two Kinesis hops and the quarantine. `signals` is where producers write; `enriched` is a
 * product of its own (clean, pseudonymised, consented) that other consumers may read. Records
 * that fail validation are data, not errors: they wait in the quarantine queue with their reason.
 */
import { Duration } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { MicroMomentsConfig } from '../../shared/config';
import type { ResourceNames } from '../../shared/names';
import { acknowledge } from '../lib/nag';
import { terminalQueue } from '../lib/queue';
import { statefulRemovalPolicy } from '../lib/removal';

export interface IngestionProps {
  config: MicroMomentsConfig;
  names: ResourceNames;
  key: kms.IKey;
}

export class Ingestion extends Construct {
  readonly signals: kinesis.Stream;
  readonly enriched: kinesis.Stream;
  readonly quarantine: sqs.Queue;

  constructor(scope: Construct, id: string, props: IngestionProps) {
    super(scope, id);
    const { config, names, key } = props;
    const provisioned = config.streams.mode === 'PROVISIONED';
    const stream = (logicalId: string, streamName: string) => {
      const s = new kinesis.Stream(this, logicalId, {
        streamName,
        encryption: kinesis.StreamEncryption.KMS,
        encryptionKey: key,
        streamMode: provisioned ? kinesis.StreamMode.PROVISIONED : kinesis.StreamMode.ON_DEMAND,
        shardCount: provisioned ? config.streams.shardCount : undefined,
        retentionPeriod: Duration.hours(config.retention.streamHours),
        removalPolicy: statefulRemovalPolicy(config),
      });
      acknowledge(
        s,
        'AwsSolutions-KDS3',
        'The customer-managed key is a design requirement: one key for every store of customer data, so disabling it makes every copy unreadable and CloudTrail shows every use; its per-request cost is accepted.',
      );
      return s;
    };
    this.signals = stream('Signals', names.signalsStream);
    this.enriched = stream('Enriched', names.enrichedStream);
    this.quarantine = terminalQueue(this, 'Quarantine', {
      queueName: names.quarantineQueue,
      key,
      retentionDays: config.retention.queueDays,
      removalPolicy: statefulRemovalPolicy(config),
      holds: 'signals that failed validation, each with the field and rule that failed',
    });
  }
}
