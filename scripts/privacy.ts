/**
 * Operator CLI for the customer's rights, against local mode or AWS (`--help` for every flag):
 *
 *   npm run privacy -- access --user-id U [--out FILE]
 *   npm run privacy -- erase  --user-id U [--request-id ID]
 *
 * Erasure leaves a tombstone, deletes the partition, removes the customer's records from the
 * quarantine (AWS: the quarantine queue, --quarantine-url or the stage's; local mode: the files of
 * --data-dir, default .local), waits --settle-seconds (default: the stages' longest timeout + 5 s)
 * for invocations in flight and sweeps the partition again (shared/privacy/erase.ts). It publishes
 * `Customer Erased` on the bus in AWS. In local mode the bus lives inside the `npm start` process
 * and cannot be reached from here: the event is printed to stderr instead.
 * The user id is never printed; output is JSON on stdout.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createClients } from '../shared/adapters/aws-clients';
import { EventBridgePublisher } from '../shared/adapters/events';
import type { EventPublisher } from '../shared/events/publisher';
import { loadConfig } from '../shared/config';
import { resourceNames } from '../shared/names';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { checkRequestId, resolveCustomer } from '../shared/privacy/customer-ref';
import { erasureSettleMs } from '../shared/privacy/erase';
import { accessCustomerAndLegacy, eraseCustomerAndLegacy } from '../shared/privacy/legacy-keys';
import { DynamoCustomerItems } from '../shared/adapters/dynamo-customer-items';
import { SqsQuarantinePurge } from '../shared/adapters/sqs-quarantine-purge';
import type { QuarantinePurge } from '../shared/privacy/quarantine-purge';
import { tombstoneRetentionDays } from '../shared/privacy/tombstone';
import { keyer } from '../shared/enrich/pseudonymise';
import { SecretsManagerSource } from '../shared/adapters/secrets-manager';
import { localFilePurges } from '../local/erase-files';
import { defineCommand, executeCommand, UsageError, type ParsedCommand } from './cli';

/** The stage's quarantine queue by name; an erasure does not start without it. */
async function quarantineUrl(sqs: SQSClient, name: string): Promise<string> {
  let found: string | undefined;
  try {
    found = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (err) {
    throw new Error(`quarantine queue ${name}: ${(err as Error).name}; give --quarantine-url`);
  }
  if (!found) throw new Error(`quarantine queue ${name}: not found; give --quarantine-url`);
  return found;
}

export const command = defineCommand({
  name: 'npm run privacy',
  summary: "a customer's access request (export everything stored about them) or erasure request (delete it all), against local mode or AWS (docs/PRIVACY.md).",
  usage: [
    'access (--user-id ID | --anonymous-id ID | --customer-key KEY) [--out FILE] [--endpoint-url URL | --stage STAGE --region REGION]',
    'erase  (--user-id ID | --anonymous-id ID | --customer-key KEY) [--request-id ID] [--endpoint-url URL [--data-dir DIR] | --stage STAGE --region REGION [--quarantine-url URL]] [--settle-seconds S]',
  ],
  positionals: [{ name: 'ACTION', description: 'access or erase', choices: ['access', 'erase'] }],
  flags: {
    'user-id': {
      type: 'string',
      value: 'ID',
      description: "the customer's userId (the key is derived with the pepper and the id's namespace, as enrich\ndoes; the same id's pre-0.2 key is covered too; never printed)",
    },
    'anonymous-id': { type: 'string', value: 'ID', description: "the customer's anonymousId, instead of --user-id" },
    'customer-key': { type: 'string', value: 'KEY', description: 'the pseudonymous customer key (64 hex), instead of an id' },
    'endpoint-url': {
      type: 'string',
      value: 'URL',
      description: 'the DynamoDB endpoint of a running `npm start` (local mode: the\nconfiguration\'s localPepper, any credentials); otherwise AWS',
    },
    stage: { type: 'string', value: 'STAGE', description: "the stack's stage (default: the configuration's)" },
    region: { type: 'string', value: 'REGION', description: 'AWS region (default: the SDK\'s, e.g. AWS_REGION)' },
    table: { type: 'string', value: 'NAME', description: "the table (default: the stage's, micro-moments-<stage>-customers)" },
    bus: { type: 'string', value: 'NAME', description: "the event bus for Customer Erased (default: the stage's)" },
    'pepper-secret': { type: 'string', value: 'NAME', description: "the pepper secret in AWS (default: the stage's)" },
    config: { type: 'string', value: 'FILE', description: 'the same configuration file as cdk deploy / npm start' },
    'request-id': { type: 'string', value: 'ID', description: 'erase: the request id recorded in the erasure (default: a new UUID)' },
    out: { type: 'string', value: 'FILE', description: 'access: write the document here (mode 600) instead of stdout' },
    'settle-seconds': {
      type: 'string',
      value: 'S',
      description: "erase: wait this long for invocations in flight before the last sweep\n(default: the longest of enrich, score and notify's timeouts + 5 s)",
    },
    'quarantine-url': { type: 'string', value: 'URL', description: "erase, AWS: the quarantine queue to remove the customer's records from\n(default: the stage's, found by name)" },
    'data-dir': { type: 'string', value: 'DIR', description: "erase, local mode: npm start's data directory, whose files are rewritten\nwithout the customer's lines (default .local)" },
  },
  examples: [
    'npm run privacy -- access --user-id customer-1234 --endpoint-url http://127.0.0.1:8000 --stage local',
    'npm run privacy -- erase --user-id customer-1234 --stage prod --region eu-west-1 --request-id ticket-4711',
  ],
  notes: [
    'Output is JSON on stdout. In local mode Customer Erased is printed to stderr (the local bus lives\ninside npm start). Exit codes: 0 done, 1 failed, 2 bad usage.',
    'An erasure leaves a tombstone (the key and when, kept while anything from before it can still\narrive), removes the customer\'s quarantined records, and sweeps again after --settle-seconds.',
  ],
});

export interface PrivacyCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: PrivacyCliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

export async function main(argv: readonly string[], io: PrivacyCliIo = defaultIo): Promise<number> {
  return executeCommand(command, (args) => run(args, io), argv, io);
}

async function run({ values, positionals }: ParsedCommand<(typeof command)['flags']>, io: PrivacyCliIo): Promise<number> {
  const action = positionals[0];
  const given = [values['user-id'], values['anonymous-id'], values['customer-key']].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new UsageError('give exactly one of --user-id, --anonymous-id, --customer-key');
  }
  const settle = values['settle-seconds'];
  if (settle !== undefined && !/^\d{1,4}$/.test(settle)) throw new UsageError('--settle-seconds: must be a whole number of seconds');

  try {
    const config = loadConfig({ file: values.config, stage: values.stage });
    const names = resourceNames(config.stage);
    const local = values['endpoint-url'] !== undefined;
    const clients = createClients({
      ...(values.region ? { region: values.region } : local ? { region: 'us-east-1' } : {}),
      ...(local
        ? { endpoints: { dynamodb: values['endpoint-url'] }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
    const table = values.table ?? names.table;
    const pepper = local
      ? async () => config.localPepper
      : (() => {
          const source = new SecretsManagerSource(clients.secrets, { pepper: values['pepper-secret'] ?? names.pepperSecret });
          return () => source.get('pepper');
        })();
    const who = await resolveCustomer(
      values['user-id'] !== undefined
        ? { userId: values['user-id'] }
        : values['anonymous-id'] !== undefined
          ? { anonymousId: values['anonymous-id'] }
          : { customerKey: values['customer-key'] },
      pepper,
    );
    const { customerKey } = who;
    const requestId = values['request-id'] === undefined ? randomUUID() : checkRequestId(values['request-id']);

    if (action === 'access') {
      const document = await accessCustomerAndLegacy({ customers: new DynamoCustomerItems(clients.doc, table) }, who, new Date());
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (values.out) {
        writeFileSync(values.out, text, { mode: 0o600 });
        io.stderr(`privacy: access document of ${customerKey} written to ${values.out} (${JSON.stringify(document.counts)})\n`);
      } else {
        io.stdout(text);
      }
      return 0;
    }

    const settleMs = settle !== undefined ? Number(settle) * 1000 : erasureSettleMs(config);
    const keyOf = keyer(await pepper());
    const quarantines: QuarantinePurge[] = local
      ? localFilePurges(values['data-dir'] ?? '.local', keyOf)
      : [new SqsQuarantinePurge(clients.sqs, values['quarantine-url'] ?? (await quarantineUrl(clients.sqs, names.quarantineQueue)), keyOf)];
    if (settleMs > 0) io.stderr(`privacy: erasing; the last sweep waits ${settleMs / 1000} s for invocations in flight (--settle-seconds)\n`);

    const publisher: EventPublisher = local
      ? {
          publish: async (events) => {
            for (const e of events) {
              io.stderr(`privacy: local mode, ${e.detailType} not published (the local bus lives inside npm start): ${JSON.stringify(e.detail)}\n`);
            }
          },
        }
      : new EventBridgePublisher(clients.eventBridge, values.bus ?? names.bus);
    const report = await eraseCustomerAndLegacy(
      { customers: new DynamoCustomerItems(clients.doc, table), publisher, tombstoneDays: tombstoneRetentionDays(config), settleMs, quarantines },
      who,
      requestId,
      () => new Date(),
    );
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } catch (err) {
    // The message of an AWS or validation error names what failed; the name tells which kind.
    io.stderr(`privacy: ${(err as Error).name}: ${(err as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
