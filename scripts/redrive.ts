/**
 * Redrive an on-failure destination of the enrich or score event source (docs/OPERATIONS.md):
 * each message names a shard and a sequence range; the records of that range are read back from
 * the stream, put on it again with their partition keys, and the message is then deleted.
 *
 *   npm run redrive -- --queue-url https://sqs.eu-west-1.amazonaws.com/123456789012/micro-moments-prod-enrich-failures
 *   npm run redrive -- --queue-url URL --dry-run --max 5
 *   npm run redrive -- --file .local/enrich-failures.jsonl --endpoint-url http://127.0.0.1:4567
 *
 * Prints one line per message (stream, shard, sequence range, counts) and totals; never the data
 * or the partition keys. Exit code 0 when every message was redriven (or would be, in a dry run),
 * 2 when some were kept (expired, invalid, still failing), 1 on a usage error.
 */
import { parseArgs } from 'node:util';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { JsonLinesFailureSource, SqsFailureSource, type FailureSource } from '../shared/ops/failure-source';
import { formatOutcome, formatTotals, redrive } from '../shared/ops/redrive';
import { isLoopbackEndpoint, regionOfQueueUrl } from '../shared/ops/queue-url';

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

const USAGE = `usage: npm run redrive -- (--queue-url URL | --file FILE.jsonl) [--stream NAME] [--region REGION]
                           [--endpoint-url URL] [--dry-run] [--max N] [--delete-expired]

  --queue-url       the on-failure SQS queue (stack outputs QueueUrlEnrichOnFailure, QueueUrlScoreOnFailure)
  --file            local mode: .local/enrich-failures.jsonl or .local/score-failures.jsonl
  --stream          read from and put to this stream instead of the one each message names
  --region          default: the region in the queue URL, else AWS_REGION
  --endpoint-url    another endpoint for Kinesis and SQS: local mode's Kinesis endpoint (printed by
                    npm start), an emulator, a VPC endpoint; on 127.0.0.1 no AWS credentials are needed
  --dry-run         read the ranges and print what would be put; put nothing, delete nothing
  --max N           handle at most N messages
  --delete-expired  also delete messages whose records are past the stream's retention`;

/** Emulators accept any credentials; these keep the SDK from looking for real ones. */
const EMULATOR_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'queue-url': { type: 'string' },
        file: { type: 'string' },
        stream: { type: 'string' },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        'dry-run': { type: 'boolean' },
        max: { type: 'string' },
        'delete-expired': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    err((e as Error).message);
    err(USAGE);
    return 1;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const queueUrl = values['queue-url'];
  const file = values.file;
  if ((queueUrl === undefined) === (file === undefined)) {
    err('give exactly one of --queue-url and --file');
    err(USAGE);
    return 1;
  }
  let max: number | undefined;
  if (values.max !== undefined) {
    max = Number(values.max);
    if (!Number.isInteger(max) || max < 1) {
      err(`--max: must be an integer >= 1, got ${JSON.stringify(values.max)}`);
      return 1;
    }
  }
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
      kinesis,
      ...(values.stream ? { stream: values.stream } : {}),
      dryRun: values['dry-run'] === true,
      ...(max !== undefined ? { max } : {}),
      deleteExpired: values['delete-expired'] === true,
      onOutcome: (o, i) => out(formatOutcome(o, i)),
    });
    out(formatTotals(report));
    const complete = report.dryRun ? report.totals.byStatus['would-redrive'] : report.totals.byStatus.redriven;
    return complete === report.totals.messages ? 0 : 2;
  } finally {
    kinesis.destroy();
    sqs?.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    err(`redrive failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    process.exitCode = 1;
  },
);
