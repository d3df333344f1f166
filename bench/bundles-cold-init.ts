/**
 * Cold initialisation of a bundle: a fresh Node.js 24 process that requires the bundle (which
 * builds the handler at module load) and reports, on one stdout line, the time spent in require()
 * (process.hrtime around it) and the time from process start to handler ready (performance.now(),
 * whose origin is the process start).
 *
 * The child runs with a Lambda-like environment and nothing else from ours: fake credentials and
 * region, the variables CDK sets for the function (infra/constructs/*.ts), NODE_OPTIONS
 * as deployed (--enable-source-maps when infra/lib/bundling.ts turns it on), and NODE_PATH at the project's node_modules so the externals
 * (`@aws-sdk/*`, provided by the runtime in Lambda) load from disk as they do in a real cold start.
 * It records every outbound socket, UDP socket and DNS lookup made while loading and shortly
 * after: init must not touch the network.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { channelKindOf } from '../shared/channels';
import type { MicroMomentsConfig } from '../shared/config';
import { ENV, resourceNames } from '../shared/names';
import { METRICS_NAMESPACE } from '../shared/observability/metric-names';
import { BUNDLE_CHOICES, bundleNodeOptions, type BundleChoices } from '../infra/lib/bundling';
import { PROJECT_ROOT, type FunctionEntry } from './bundles-build';

/** What the child prints: one JSON line. */
export interface ChildReport {
  requireMs: number;
  /** CPU time (user + system) of the same require(): steadier than wall time on a shared machine. */
  requireCpuMs: number;
  processToReadyMs: number;
  handlerIsFunction: boolean;
  /** Of requireMs: time spent loading the externals (`@aws-sdk/*`, from node_modules), by package. */
  externalsMs: Record<string, number>;
  /** Network use seen during and just after init (`connect host:port`, `dns name`, `udp socket`). */
  network: string[];
  nodeVersion: string;
  error?: string;
}

/**
 * The child, plain CommonJS so it runs on bare node. Hooks go in before the timed require so that
 * an init-time call is seen; they cost a few property writes, not I/O. It waits 100 ms after init
 * (outside the timed part) to catch calls started by promises at load, then exits: a handler's
 * timers or sockets must not keep it alive.
 */
export const CHILD_SOURCE = `'use strict';
const net = require('node:net');
const dgram = require('node:dgram');
const dns = require('node:dns');
const network = [];
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const o = args[0] && typeof args[0] === 'object' ? (Array.isArray(args[0]) ? args[0][0] || {} : args[0]) : { port: args[0], host: args[1] };
  network.push('connect ' + (o.path || (String(o.host || 'localhost') + ':' + String(o.port))));
  return connect.apply(this, args);
};
const createSocket = dgram.createSocket;
dgram.createSocket = function (...args) { network.push('udp socket'); return createSocket.apply(this, args); };
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) { network.push('dns ' + String(host)); return lookup.call(this, host, ...rest); };
// Inclusive time of each outermost require of an external package: what the SDK costs at init.
const Module = require('node:module');
const externalsMs = {};
let inExternal = false;
const load = Module._load;
Module._load = function (request, ...rest) {
  if (inExternal || !/^@aws-sdk\\//.test(request)) return load.call(this, request, ...rest);
  inExternal = true;
  const t = process.hrtime.bigint();
  try {
    return load.call(this, request, ...rest);
  } finally {
    inExternal = false;
    externalsMs[request] = (externalsMs[request] || 0) + Number(process.hrtime.bigint() - t) / 1e6;
  }
};
const report = (r) => { process.stdout.write(JSON.stringify({ ...r, externalsMs, network, nodeVersion: process.version }) + '\\n'); process.exit(0); };
let requireMs = NaN;
let requireCpuMs = NaN;
let processToReadyMs = NaN;
let handlerIsFunction = false;
try {
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const mod = require(process.argv[2]);
  const end = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  requireCpuMs = (cpu.user + cpu.system) / 1000;
  processToReadyMs = performance.now();
  requireMs = Number(end - start) / 1e6;
  handlerIsFunction = typeof mod.handler === 'function';
} catch (e) {
  report({ requireMs, requireCpuMs, processToReadyMs, handlerIsFunction, error: e && e.message ? String(e.message) : String(e) });
}
setTimeout(() => report({ requireMs, requireCpuMs, processToReadyMs, handlerIsFunction }), 100);
`;

/** Writes the child next to the bundles (outside the repo) and returns its path. */
export function writeChild(dir: string): string {
  const file = join(dir, 'cold-init-child.cjs');
  writeFileSync(file, CHILD_SOURCE);
  return file;
}

/** The one JSON line the child prints, checked; anything else on stdout is ignored. */
export function parseChildReport(stdout: string): ChildReport {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'))
    .pop();
  if (!line) throw new Error(`cold-init child printed no report (stdout: ${JSON.stringify(stdout.slice(0, 200))})`);
  const r = JSON.parse(line) as Partial<ChildReport>;
  if (typeof r.requireMs !== 'number' && r.error === undefined) throw new Error(`cold-init child report has no requireMs: ${line}`);
  return {
    requireMs: Number(r.requireMs),
    requireCpuMs: Number(r.requireCpuMs),
    processToReadyMs: Number(r.processToReadyMs),
    handlerIsFunction: r.handlerIsFunction === true,
    externalsMs: r.externalsMs && typeof r.externalsMs === 'object' ? Object.fromEntries(Object.entries(r.externalsMs).map(([k, v]) => [k, Number(v)])) : {},
    network: Array.isArray(r.network) ? r.network.map(String) : [],
    nodeVersion: String(r.nodeVersion ?? ''),
    ...(r.error !== undefined ? { error: String(r.error) } : {}),
  };
}

const FAKE_ACCOUNT = '123456789012';
const FAKE_REGION = 'eu-west-1';

/**
 * The environment of a deployed function, with plausible fake values: what the Lambda runtime
 * sets, fake credentials, and what CDK sets for this function (infra/lib/function.ts and
 * infra/constructs/{processing,notification,privacy}.ts). `channel` is for notify.
 */
export function coldInitEnvironment(entry: FunctionEntry, config: MicroMomentsConfig, channel?: string, choices: BundleChoices = BUNDLE_CHOICES): Record<string, string> {
  const names = resourceNames(config.stage);
  const service = entry === 'notify' ? `notify-${channel ?? 'webhook'}` : entry;
  const arn = (svc: string, res: string) => `arn:aws:${svc}:${FAKE_REGION}:${FAKE_ACCOUNT}:${res}`;
  const common: Record<string, string> = {
    AWS_REGION: FAKE_REGION,
    AWS_DEFAULT_REGION: FAKE_REGION,
    AWS_ACCESS_KEY_ID: 'ASIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fakeSecretAccessKeyForColdInitBenchmark0',
    AWS_SESSION_TOKEN: 'fake-session-token',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: names.function(service),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.functions[entry].memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${names.function(service)}`,
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    _HANDLER: 'index.handler',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    [ENV.stage]: config.stage,
    ...(bundleNodeOptions(choices) ? { NODE_OPTIONS: bundleNodeOptions(choices) } : {}),
    POWERTOOLS_SERVICE_NAME: service,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    [ENV.table]: names.table,
    [ENV.bus]: names.bus,
  };
  const queueUrl = `https://sqs.${FAKE_REGION}.amazonaws.com/${FAKE_ACCOUNT}/${names.quarantineQueue}`;
  const pepper = arn('secretsmanager', `secret:${names.pepperSecret}-AbCdEf`);
  switch (entry) {
    case 'enrich':
      return { ...common, [ENV.quarantineQueueUrl]: queueUrl, [ENV.enrichedStream]: names.enrichedStream, [ENV.pepperSecretArn]: pepper };
    case 'score':
      return { ...common, [ENV.quarantineQueueUrl]: queueUrl, [ENV.enrichedStream]: names.enrichedStream };
    case 'notify': {
      const settings = config.channels[(channel ?? 'webhook') as keyof MicroMomentsConfig['channels']];
      const kind = settings ? channelKindOf(settings) : undefined;
      return {
        ...common,
        [ENV.channel]: channel ?? 'webhook',
        // What the kind's construct part sets (the adapter is built at the first invocation, so any value loads the same).
        ...Object.fromEntries(Object.keys(kind?.env ?? {}).map((name) => [name, `placeholder-${name.toLowerCase()}`])),
        ...(kind?.secrets.includes('webhook') ? { [ENV.webhookSecretArn]: arn('secretsmanager', `secret:${names.webhookSecret}-AbCdEf`) } : {}),
      };
    }
    case 'privacy':
      return { ...common, [ENV.pepperSecretArn]: pepper, [ENV.exportBucket]: `${names.function('exports')}-${FAKE_ACCOUNT}` };
  }
}

/**
 * The Node.js 24 of the `node` devDependency (what npm scripts put first on PATH); else the node
 * running this process.
 */
export function childNode(): string {
  const local = join(PROJECT_ROOT, 'node_modules', '.bin', 'node');
  return existsSync(local) ? local : process.execPath;
}

/** One fresh process: require the bundle, report. */
export function runChild(node: string, child: string, bundle: string, env: Record<string, string>, timeoutMs = 30_000): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const proc = spawn(node, [child, bundle], {
      env: { ...env, PATH: process.env.PATH ?? '', NODE_PATH: join(PROJECT_ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve(parseChildReport(stdout));
      } catch (e) {
        reject(new Error(`${(e as Error).message}; exit ${code}; stderr: ${stderr.slice(0, 500)}`));
      }
    });
  });
}

/** Median (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
