/**
 * Redrive an on-failure destination of the enrich or score event source (docs/OPERATIONS.md):
 * each message names a shard and a sequence range; the records of that range are read back from
 * the stream, put on it again with their partition keys, and the message is then deleted.
 *
 *   npm run redrive -- --queue-url https://sqs.eu-west-1.amazonaws.com/123456789012/micro-moments-prod-enrich-failures
 *   npm run redrive -- --queue-url URL --dry-run --max 5
 *   npm run redrive -- --file .local/latest/enrich-failures.jsonl --endpoint-url http://127.0.0.1:4567
 *
 * Prints one line per message (stream, shard, sequence range, counts) and totals; never the data
 * or the partition keys. Exit code 0 when every message was redriven (or would be, in a dry run),
 * 1 when some were kept (expired, invalid, still failing), 2 on bad usage.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { JsonLinesFailureSource, type FailureSource } from '../shared/ops/failure-source';
import { SqsFailureSource } from '../shared/adapters/sqs-failure-source';
import { formatOutcome, formatTotals, redrive } from '../shared/ops/redrive';
import { KinesisStreamRanges } from '../shared/adapters/kinesis-range-reader';
import { isLoopbackEndpoint, regionOfQueueUrl } from '../shared/ops/queue-url';
import { defineCommand, intValue, runCommand, UsageError, type ParsedCommand } from './cli';

const out = (text: string) => process.stdout.write(`${text}\n`);

export const command = defineCommand({
  name: 'npm run redrive',
  summary: "put the records of an on-failure destination's messages back on their stream, then delete the messages (docs/OPERATIONS.md).",
  usage: ['(--queue-url URL | --file FILE.jsonl) [--stream NAME] [--region REGION] [--endpoint-url URL] [--dry-run] [--max N] [--delete-expired]'],
  flags: {
    'queue-url': { type: 'string', value: 'URL', description: 'the on-failure SQS queue (stack outputs QueueUrlEnrichOnFailure, QueueUrlScoreOnFailure)' },
    file: { type: 'string', value: 'FILE.jsonl', description: "local mode: enrich-failures.jsonl or score-failures.jsonl in the run's directory\n(npm start prints it)" },
    stream: { type: 'string', value: 'NAME', description: 'read from and put to this stream instead of the one each message names' },
    region: { type: 'string', value: 'REGION', description: "default: the queue URL's region, else AWS_REGION" },
    'endpoint-url': {
      type: 'string',
      value: 'URL',
      description: "another endpoint for Kinesis and SQS: local mode's Kinesis endpoint (printed by npm start),\nan emulator, a VPC endpoint; on 127.0.0.1 no AWS credentials are needed",
    },
    'dry-run': { type: 'boolean', description: 'read the ranges and print what would be put; put nothing, delete nothing' },
    max: { type: 'string', value: 'N', description: 'handle at most N messages' },
    'delete-expired': { type: 'boolean', description: "also delete messages whose records are past the stream's retention" },
  },
  examples: [
    'npm run redrive -- --queue-url https://sqs.eu-west-1.amazonaws.com/123456789012/micro-moments-prod-enrich-failures --dry-run',
    'npm run redrive -- --queue-url URL --max 5',
    'npm run redrive -- --file .local/latest/enrich-failures.jsonl --endpoint-url http://127.0.0.1:4567',
  ],
  notes: ['Exit codes: 0 every message redriven (or would be, with --dry-run), 1 some were kept, 2 bad usage.'],
});

/** Emulators accept any credentials; these keep the SDK from looking for real ones. */
const EMULATOR_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

async function main({ values }: ParsedCommand<(typeof command)['flags']>): Promise<number> {
  const queueUrl = values['queue-url'];
  const file = values.file;
  if ((queueUrl === undefined) === (file === undefined)) throw new UsageError('give exactly one of --queue-url and --file');
  const max = intValue('max', values.max, undefined, { min: 1 });
  const endpoint = values['endpoint-url'];
  const region = values.region ?? (queueUrl ? regionOfQueueUrl(queueUrl) : undefined) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (endpoint ? 'us-east-1' : undefined);
  const common = {
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(endpoint && isLoopbackEndpoint(endpoint) ? { credentials: EMULATOR_CREDENTIALS } : {}),
  };
  // HTTP/1.1 for Kinesis: the default HTTP/2 handler fails against plain-HTTP emulators.
  const kinesis = new KinesisClient({ ...common, requestHandler: new NodeHttpHandler() });
  const sqs = queueUrl ? new SQSClient(common) : undefined;
  const source: FailureSource = sqs && queueUrl ? new SqsFailureSource(sqs, queueUrl) : new JsonLinesFailureSource(file as string);

  try {
    const report = await redrive({
      source,
      kinesis: new KinesisStreamRanges(kinesis),
      ...(values.stream ? { stream: values.stream } : {}),
      dryRun: values['dry-run'] === true,
      ...(max !== undefined ? { max } : {}),
      deleteExpired: values['delete-expired'] === true,
      onOutcome: (o, i) => out(formatOutcome(o, i)),
    });
    out(formatTotals(report));
    const complete = report.dryRun ? report.totals.byStatus['would-redrive'] : report.totals.byStatus.redriven;
    return complete === report.totals.messages ? 0 : 1;
  } finally {
    kinesis.destroy();
    sqs?.destroy();
  }
}

runCommand(command, main);
