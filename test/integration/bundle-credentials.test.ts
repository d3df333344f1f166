/**
 * The deployed privacy bundle (built as `cdk synth` builds it, infra/lib/bundling.ts) against
 * dynalite, in a fresh Node process with a Lambda-like environment: with `credentials: 'env'` the
 * SDK clients sign with the environment's credentials, and nothing else (the default chain, with
 * its ini files, SSO and metadata providers, is not in the bundle).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { bundleBuildOptions, packageOf } from '../../bench/bundles-build';
import { childNode, coldInitEnvironment } from '../../bench/bundles-cold-init';
import { BUNDLE_CHOICES } from '../../infra/lib/bundling';
import { loadConfig } from '../../shared/config';
import { ENV } from '../../shared/names';
import { customerPk, SK } from '../../shared/store/keys';
import { startDynaliteTable, type DynaliteTable } from '../fixtures/dynalite-table';

const config = loadConfig();
const customerKey = 'ab'.repeat(32);

/** Requires the bundle, asks for the customer's access document, prints the outcome as JSON. */
const INVOKE = `'use strict';
const { handler } = require(process.argv[2]);
handler({ action: 'access', customerKey: process.argv[3] }, { functionName: 'privacy', awsRequestId: 'r', getRemainingTimeInMillis: () => 30000 })
  .then((r) => process.stdout.write(JSON.stringify({ ok: r, loaded: { streamWeb: process.moduleLoadList.includes('NativeModule stream/web'), zlib: process.moduleLoadList.includes('NativeModule zlib') } }) + '\\n'))
  .catch((e) => process.stdout.write(JSON.stringify({ error: String(e && e.message) }) + '\\n'));
`;

describe('bundle credentials (BUNDLE_CHOICES.credentials = env)', () => {
  let db: DynaliteTable;
  let dir: string;
  let bundle: string;
  let inputs: string[];

  beforeAll(async () => {
    db = await startDynaliteTable();
    await db.clients.doc.send(new PutCommand({ TableName: db.table, Item: { pk: customerPk(customerKey), sk: SK.profile, consent: {} } }));
    dir = mkdtempSync(join(tmpdir(), 'mm-bundle-credentials-'));
    const options = bundleBuildOptions('privacy', join(dir, 'privacy'), config, { ...BUNDLE_CHOICES, bundleSdk: true, credentials: 'env' });
    const result = await build({ ...options, sourcemap: false });
    bundle = options.outfile as string;
    inputs = Object.keys((result.metafile as Metafile).inputs).map(packageOf);
    writeFileSync(join(dir, 'invoke.cjs'), INVOKE);
  }, 120_000);

  afterAll(async () => {
    await db?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The function's environment as CDK sets it, pointed at dynalite, with `change` applied. */
  // Asynchronous: dynalite answers from this process, so it must not be blocked while the child runs.
  async function invoke(change: (env: Record<string, string>) => void): Promise<{ ok?: { document?: { counts?: Record<string, number> } }; loaded?: Record<string, boolean>; error?: string }> {
    const env: Record<string, string> = {
      ...coldInitEnvironment('privacy', config),
      [ENV.table]: db.table,
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      HOME: join(dir, 'home'),
      PATH: process.env.PATH ?? '',
    };
    change(env);
    const out = await promisify(execFile)(childNode(), [join(dir, 'invoke.cjs'), bundle, customerKey], { env, encoding: 'utf8', timeout: 60_000 });
    // The handler's own log lines are JSON on stdout too: the result is the line INVOKE wrote last.
    const line = out.stdout.trim().split('\n').pop() ?? '';
    if (!/^\{"(ok|error)"/.test(line)) throw new Error(`no result; stdout ends ${JSON.stringify(line.slice(0, 300))}; stderr: ${out.stderr.slice(0, 500)}`);
    return JSON.parse(line);
  }

  test('the credential chain and its nested STS/SSO clients are not bundled; the environment provider is', () => {
    expect(inputs).toContain('@aws-sdk/credential-provider-env');
    for (const pkg of ['@aws-sdk/credential-provider-node', '@aws-sdk/credential-provider-ini', '@aws-sdk/credential-provider-sso', '@aws-sdk/nested-clients', '@smithy/credential-provider-imds']) {
      expect(inputs).not.toContain(pkg);
    }
  });

  test("the bundled clients sign with the environment's credentials and read the table", async () => {
    const r = await invoke(() => {});
    expect(r.error).toBeUndefined();
    expect(r.ok?.document?.counts).toMatchObject({ profile: 1 });
    // BUNDLE_CHOICES.lazyBuiltins: a whole invocation (middy, DynamoDB reads) does not need web
    // streams. It does load zlib (Node's undici is loaded during it and requires zlib itself),
    // which is why BUNDLE_CHOICES.lazyZlib is off.
    expect(r.loaded).toEqual({ streamWeb: false, zlib: true });
  }, 60_000);

  test('without them the call fails, even with credentials in ~/.aws (the rest of the chain is not there)', async () => {
    mkdirSync(join(dir, 'home', '.aws'), { recursive: true });
    writeFileSync(join(dir, 'home', '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAFROMINIFILE\naws_secret_access_key = fromIniFile\n');
    const r = await invoke((env) => {
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      delete env.AWS_SESSION_TOKEN;
    });
    expect(r.ok).toBeUndefined();
    expect(r.error).toMatch(/Unable to find environment variable credentials/);
  }, 60_000);
});
