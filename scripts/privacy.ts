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
import { parseArgs } from 'node:util';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createClients } from '../shared/adapters/aws-clients';
import { EventBridgePublisher, type EventPublisher } from '../shared/adapters/events';
import { loadConfig } from '../shared/config';
import { resourceNames } from '../shared/names';
import { checkRequestId, resolveCustomer } from '../shared/privacy/customer-ref';
import { erasureSettleMs } from '../shared/privacy/erase';
import { accessCustomerAndLegacy, eraseCustomerAndLegacy } from '../shared/privacy/legacy-keys';
import { SqsQuarantinePurge, type QuarantinePurge } from '../shared/privacy/quarantine-purge';
import { tombstoneRetentionDays } from '../shared/privacy/tombstone';
import { keyer } from '../shared/enrich/pseudonymise';
import { SecretsManagerSource } from '../functions/common/secrets';
import { localFilePurges } from '../local/erase-files';

class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** The stage's quarantine queue by name; an erasure does not start without it. */
async function quarantineUrl(sqs: SQSClient, name: string): Promise<string> {
  try {
    const res = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (res.QueueUrl) return res.QueueUrl;
  } catch (err) {
    throw new CliError(`quarantine queue ${name}: ${(err as Error).name}; give --quarantine-url`);
  }
  throw new CliError(`quarantine queue ${name}: not found; give --quarantine-url`);
}

const USAGE = `usage: npm run privacy -- <access|erase> (--user-id ID | --anonymous-id ID | --customer-key KEY)
       [--endpoint-url URL] [--stage STAGE] [--region REGION] [--table NAME] [--bus NAME]
       [--pepper-secret NAME] [--config FILE] [--request-id ID] [--out FILE]
       [--settle-seconds S] [--quarantine-url URL] [--data-dir DIR]`;

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
        'settle-seconds': { type: 'string' },
        'quarantine-url': { type: 'string' },
        'data-dir': { type: 'string' },
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

    const settle = values['settle-seconds'];
    if (settle !== undefined && !/^\d{1,4}$/.test(settle)) throw new CliError('--settle-seconds: must be a whole number of seconds');
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
      { doc: clients.doc, table, publisher, tombstoneDays: tombstoneRetentionDays(config), settleMs, quarantines },
      who,
      requestId,
      () => new Date(),
    );
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
