/**
 * Operator CLI for the customer's rights, against local mode or AWS (`--help` for every flag):
 *
 *   npm run privacy -- access --user-id U [--out FILE]
 *   npm run privacy -- erase  --user-id U [--request-id ID]
 *
 * Erasure publishes `Customer Erased` on the bus in AWS. In local mode the bus lives inside the
 * `npm start` process and cannot be reached from here: the event is printed to stderr instead.
 * The user id is never printed; output is JSON on stdout.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createClients } from '../shared/adapters/aws-clients';
import { EventBridgePublisher, type EventPublisher } from '../shared/adapters/events';
import { loadConfig } from '../shared/config';
import { resourceNames } from '../shared/names';
import { checkRequestId, resolveCustomer } from '../shared/privacy/customer-ref';
import { accessCustomerAndLegacy, eraseCustomerAndLegacy } from '../shared/privacy/legacy-keys';
import { SecretsManagerSource } from '../functions/common/secrets';
import { defineCommand, executeCommand, UsageError, type ParsedCommand } from './cli';

export const command = defineCommand({
  name: 'npm run privacy',
  summary: "a customer's access request (export everything stored about them) or erasure request (delete it all), against local mode or AWS (docs/PRIVACY.md).",
  usage: [
    'access (--user-id ID | --anonymous-id ID | --customer-key KEY) [--out FILE] [--endpoint-url URL | --stage STAGE --region REGION]',
    'erase  (--user-id ID | --anonymous-id ID | --customer-key KEY) [--request-id ID] [--endpoint-url URL | --stage STAGE --region REGION]',
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
  },
  examples: [
    'npm run privacy -- access --user-id customer-1234 --endpoint-url http://127.0.0.1:8000 --stage local',
    'npm run privacy -- erase --user-id customer-1234 --stage prod --region eu-west-1 --request-id ticket-4711',
  ],
  notes: [
    'Output is JSON on stdout. In local mode Customer Erased is printed to stderr (the local bus lives\ninside npm start). Exit codes: 0 done, 1 failed, 2 bad usage.',
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
      const document = await accessCustomerAndLegacy({ doc: clients.doc, table }, who, new Date());
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (values.out) {
        writeFileSync(values.out, text, { mode: 0o600 });
        io.stderr(`privacy: access document of ${customerKey} written to ${values.out} (${JSON.stringify(document.counts)})\n`);
      } else {
        io.stdout(text);
      }
      return 0;
    }

    const publisher: EventPublisher = local
      ? {
          publish: async (events) => {
            for (const e of events) {
              io.stderr(`privacy: local mode, ${e.detailType} not published (the local bus lives inside npm start): ${JSON.stringify(e.detail)}\n`);
            }
          },
        }
      : new EventBridgePublisher(clients.eventBridge, values.bus ?? names.bus);
    const report = await eraseCustomerAndLegacy({ doc: clients.doc, table, publisher }, who, requestId, () => new Date());
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
