/**
 * The two stream consumers. enrich: signals → validate, dedupe, pseudonymise, consent, profile →
 * enriched (bad records to quarantine). score: enriched → decayed intent state → moments in the
 * table and `Moment Detected` on the bus. Each reads its stream through an event source mapping
 * with partial batch responses, bisection, bounded retries and record age, and an on-failure
 * queue that receives the stream coordinates (shard, sequence range) of a batch that gave up, so
 * the range can be read again and redriven: Kinesis destinations carry pointers, not records.
 */
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ConsumerMode, EventSourceSettings, MicroMomentsConfig } from '../../shared/config';
import { ENV, type ResourceNames } from '../../shared/names';
import { PipelineFunction } from '../lib/function';
import { grantStores } from '../lib/store-grants';
import { terminalQueue } from '../lib/queue';
import { statefulRemovalPolicy } from '../lib/removal';

export interface ProcessingProps {
  config: MicroMomentsConfig;
  names: ResourceNames;
  key: kms.IKey;
  signals: kinesis.IStream;
  enriched: kinesis.IStream;
  quarantine: sqs.IQueue;
  table: dynamodb.ITable;
  bus: events.IEventBus;
  pepper: secretsmanager.ISecret;
}

/**
 * TRIM_HORIZON: when a mapping is created (first deploy, or a replacement), it starts from the
 * oldest record still retained, so signals written before the consumer existed are processed,
 * not skipped. Re-reading is safe: enrich dedupes on messageId and score's writes are idempotent.
 */
export const STARTING_POSITION = lambda.StartingPosition.TRIM_HORIZON;

export class Processing extends Construct {
  readonly enrich: PipelineFunction;
  readonly score: PipelineFunction;
  readonly enrichFailures: sqs.Queue;
  readonly scoreFailures: sqs.Queue;
  /** The enhanced fan-out consumers, for the streams whose configuration asks for one. */
  readonly streamConsumers: { enrich?: kinesis.StreamConsumer; score?: kinesis.StreamConsumer } = {};

  private readonly props: ProcessingProps;

  constructor(scope: Construct, id: string, props: ProcessingProps) {
    super(scope, id);
    this.props = props;
    const { config, names, key, table, bus, quarantine } = props;
    const common = {
      [ENV.table]: table.tableName,
      [ENV.bus]: bus.eventBusName,
      [ENV.quarantineQueueUrl]: quarantine.queueUrl,
    };

    this.enrich = new PipelineFunction(this, 'Enrich', {
      service: 'enrich',
      entryFolder: 'enrich',
      settings: config.functions.enrich,
      config,
      names,
      key,
      description: 'signals → validate, dedupe, pseudonymise, drop sensitive, consent, profile, context → enriched',
      environment: {
        ...common,
        [ENV.enrichedStream]: props.enriched.streamName,
        [ENV.pepperSecretArn]: props.pepper.secretArn,
      },
    });
    props.enriched.grantWrite(this.enrich.role);
    grantStores(table, this.enrich.role, ['profiles']);
    quarantine.grantSendMessages(this.enrich.role);
    props.pepper.grantRead(this.enrich.role);

    this.score = new PipelineFunction(this, 'Score', {
      service: 'score',
      entryFolder: 'score',
      settings: config.functions.score,
      config,
      names,
      key,
      description: 'enriched → decayed intent state → moments (table) and Moment Detected (bus)',
      environment: { ...common, [ENV.enrichedStream]: props.enriched.streamName },
    });
    grantStores(table, this.score.role, ['states', 'guards']);
    bus.grantPutEventsTo(this.score.role);
    quarantine.grantSendMessages(this.score.role);
    // table.grant covers the table's actions; the key is granted here, to the table's needs only.
    for (const fn of [this.enrich, this.score]) key.grant(fn.role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');

    this.enrichFailures = terminalQueue(this, 'EnrichFailures', {
      queueName: names.enrichFailureQueue,
      key,
      retentionDays: config.retention.queueDays,
      removalPolicy: statefulRemovalPolicy(config),
      holds: 'coordinates of signals batches that enrich gave up on',
    });
    this.scoreFailures = terminalQueue(this, 'ScoreFailures', {
      queueName: names.scoreFailureQueue,
      key,
      retentionDays: config.retention.queueDays,
      removalPolicy: statefulRemovalPolicy(config),
      holds: 'coordinates of enriched batches that score gave up on',
    });
    this.streamConsumers.enrich = this.readStream('enrich', props.signals, config.streams.signals.consumer, this.enrichFailures);
    this.streamConsumers.score = this.readStream('score', props.enriched, config.streams.enriched.consumer, this.scoreFailures);
  }

  /**
   * The event source of one function: the stream itself (shared throughput, polled), or a stream
   * consumer registered for the function, through which Kinesis pushes records as they arrive
   * (enhanced fan-out). Either way the same batching and failure handling; the event source
   * grants the role what reading needs (for a consumer: DescribeStreamConsumer, SubscribeToShard).
   */
  private readStream(name: 'enrich' | 'score', stream: kinesis.IStream, mode: ConsumerMode, onFailure: sqs.IQueue): kinesis.StreamConsumer | undefined {
    const { config, names } = this.props;
    const fn = name === 'enrich' ? this.enrich : this.score;
    const options = sourceOptions(config.eventSources[name], onFailure);
    if (mode === 'shared') {
      fn.fn.addEventSource(new sources.KinesisEventSource(stream, options));
      return undefined;
    }
    const consumer = new kinesis.StreamConsumer(this, `${name === 'enrich' ? 'Enrich' : 'Score'}Consumer`, {
      stream,
      streamConsumerName: names.function(name),
    });
    fn.fn.addEventSource(new sources.KinesisConsumerEventSource(consumer, options));
    return consumer;
  }
}

function sourceOptions(s: EventSourceSettings, onFailure: sqs.IQueue): sources.KinesisEventSourceProps {
  return {
    startingPosition: STARTING_POSITION,
    batchSize: s.batchSize,
    maxBatchingWindow: Duration.seconds(s.maxBatchingWindowSeconds),
    parallelizationFactor: s.parallelizationFactor,
    reportBatchItemFailures: true,
    bisectBatchOnError: true,
    retryAttempts: s.retryAttempts,
    maxRecordAge: Duration.seconds(s.maxRecordAgeSeconds),
    onFailure: new sources.SqsDlq(onFailure),
  };
}
