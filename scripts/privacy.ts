/**
 * Operator CLI for the customer's rights, against local mode or AWS:
 *
 *   npm run privacy -- access --user-id U [--out FILE]
 *   npm run privacy -- erase  --user-id U [--request-id ID]
 *
 * The customer: --user-id or --anonymous-id (the key is derived with the pepper and the id's
 * namespace, as enrich does; the partition of the same id's pre-0.2 key is covered too) or
 * --customer-key (64 hex). Where:
 *   --endpoint-url http://127.0.0.1:PORT  the DynamoDB endpoint of a running `npm start` (local
 *                                         mode: the configuration's localPepper, any credentials)
 *   otherwise AWS with the default credential chain: --stage (default: the configuration's),
 *   --region, --table / --bus (default: resourceNames(stage)), --pepper-secret (default: the
 *   stage's pepper secret name).
 *   --config FILE                         the same configuration file as cdk deploy / npm start.
 *
 * Erasure publishes `Customer Erased` on the bus in AWS. In local mode the bus lives inside the
 * `npm start` process and cannot be reached from here: the event is printed to stderr instead.
 * The user id is never printed; output is JSON on stdout.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClients } from '../shared/adapters/aws-clients';
import { EventBridgePublisher, type EventPublisher } from '../shared/adapters/events';
import { loadConfig } from '../shared/config';
import { resourceNames } from '../shared/names';
import { checkRequestId, resolveCustomer } from '../shared/privacy/customer-ref';
import { accessCustomerAndLegacy, eraseCustomerAndLegacy } from '../shared/privacy/legacy-keys';
import { SecretsManagerSource } from '../functions/common/secrets';

const USAGE = `usage: npm run privacy -- <access|erase> (--user-id ID | --anonymous-id ID | --customer-key KEY)
       [--endpoint-url URL] [--stage STAGE] [--region REGION] [--table NAME] [--bus NAME]
       [--pepper-secret NAME] [--config FILE] [--request-id ID] [--out FILE]`;

export interface PrivacyCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: PrivacyCliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

export async function main(argv: readonly string[], io: PrivacyCliIo = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'user-id': { type: 'string' },
        'anonymous-id': { type: 'string' },
        'customer-key': { type: 'string' },
        'endpoint-url': { type: 'string' },
        stage: { type: 'string' },
        region: { type: 'string' },
        table: { type: 'string' },
        bus: { type: 'string' },
        'pepper-secret': { type: 'string' },
        config: { type: 'string' },
        'request-id': { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (err) {
    io.stderr(`privacy: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const action = positionals[0];
  if ((action !== 'access' && action !== 'erase') || positionals.length !== 1) {
    io.stderr(`privacy: the first argument must be "access" or "erase"\n${USAGE}\n`);
    return 2;
  }
  const given = [values['user-id'], values['anonymous-id'], values['customer-key']].filter((v) => v !== undefined);
  if (given.length !== 1) {
    io.stderr(`privacy: give exactly one of --user-id, --anonymous-id, --customer-key\n${USAGE}\n`);
    return 2;
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
    io.stderr(`privacy: ${(err as Error).name}: ${(err as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`privacy: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
