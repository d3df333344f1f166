/**
 * The composition root: `createRuntime(overrides)` builds what a handler needs from the world, the
 * ports wired to their AWS adapters unless an override says otherwise. Every runtime of the
 * project is built here: the Lambda entry points (functions/common/runtime.ts reads the
 * environment CDK sets and calls it), local mode (emulator clients, the in-process bus, local
 * sinks), the fault harness, the benchmarks (stores in memory) and the tests. Nothing else builds
 * a Runtime by hand, so a new port is added in one place.
 *
 * The stores are built on first use (a function pays for the ones it uses) and every adapter built
 * here counts its requests on `counter` and retries failed entries with `retry`.
 */
import type { MicroMomentsConfig } from '../config';
import type { Channel } from '../contracts/enriched';
import type { EventPublisher } from '../events/publisher';
import { resourceNames, ENV, type ResourceNames } from '../names';
import type { ChannelAdapter } from '../notify/channel';
import type { NotifyStore } from '../notify/notify-store';
import { ProfileGuardReader, type GuardReader } from '../privacy/customer-guard';
import type { CustomerItemStore } from '../privacy/customer-store';
import type { StateStore } from '../scoring/ports';
import type { SecretSource } from '../secrets';
import type { ProfileStore } from '../store/profile-store';
import type { QuarantineSink } from '../stream/quarantine';
import { createClients, type AwsClients, type ClientOptions } from './aws-clients';
import { DynamoCustomerItems } from './dynamo-customer-items';
import { DynamoNotifyStore } from './dynamo-notify-store';
import { DynamoProfileStore } from './dynamo-profile-store';
import { DynamoStateStore } from './dynamo-state-store';
import { EventBridgePublisher } from './events';
import { SqsQuarantine } from './quarantine';
import { RequestCounter } from './request-counter';
import type { RetryPolicy } from './retry';
import { SecretsManagerSource } from './secrets-manager';

export interface RuntimeResources {
  table: string;
  enrichedStream: string;
  bus: string;
  quarantineQueueUrl?: string;
  /** notify: what its channel kind's construct part set in the environment (shared/channels/ `env`), by variable name. */
  channel?: Readonly<Record<string, string>>;
}

/** The stores of the stages, as ports (DynamoDB on `resources.table` unless overridden). */
export interface Stores {
  /** enrich: the profiles and tombstones of a batch's customers, written back with their consent. */
  profiles: ProfileStore;
  /** score: intent states and moments. */
  states: StateStore;
  /** score: who was erased or withdrew consent since enrich (from `profiles` unless overridden). */
  guards: GuardReader;
  /** notify: decision markers, reservations of the guardrails, audit items. */
  notify: NotifyStore;
  /** privacy: one customer's partition, its deletion and the tombstone. */
  customers: CustomerItemStore;
}

export interface Runtime {
  config: MicroMomentsConfig;
  names: ResourceNames;
  resources: RuntimeResources;
  clients: AwsClients;
  stores: Stores;
  publisher: EventPublisher;
  quarantine: QuarantineSink;
  secrets: SecretSource;
  counter: RequestCounter;
  now: () => Date;
  /** Entry-level retries of the adapters (PutRecords, batch reads and writes); default DEFAULT_RETRY. */
  retry?: RetryPolicy;
  /** notify: the channel this function serves (local mode); in AWS, env MM_CHANNEL. */
  channel?: Channel;
  /** notify: channel adapters to use instead of the defaults (local mode, tests). */
  channels?: Partial<Record<Channel, ChannelAdapter>>;
}

/** Everything but the configuration may be given; what is not given is built as deployed. */
export interface RuntimeOverrides extends Partial<Omit<Runtime, 'config' | 'resources' | 'stores'>> {
  config: MicroMomentsConfig;
  /** Default: the stage's resource names (`names`), without a quarantine queue or topic. */
  resources?: Partial<RuntimeResources>;
  /** How to build `clients` when they are not given (emulator endpoints, instrumentation). */
  clientOptions?: ClientOptions;
  stores?: Partial<Stores>;
}

/** A quarantine that refuses: a runtime without a queue URL must not lose a bad record in silence. */
const noQuarantine: QuarantineSink = {
  send: async () => {
    throw new Error(`environment variable ${ENV.quarantineQueueUrl} is required to quarantine records`);
  },
};

/**
 * The SQS quarantine, built (with its SDK client) when the first bad record is sent rather than when
 * a handler takes the port at load: score takes it at cold start, and a healthy stream never
 * quarantines, so its first invocation does not need the client either.
 */
function quarantineOnFirstSend(make: () => QuarantineSink): QuarantineSink {
  let sink: QuarantineSink | undefined;
  return { send: async (entries) => (sink ??= make()).send(entries) };
}

/** An object whose properties are built on first read (and then kept). */
function lazyRecord<T extends object>(given: Partial<T>, make: { [K in keyof T]: () => T[K] }): T {
  const out = {} as T;
  for (const key of Object.keys(make) as (keyof T)[]) {
    let value: T[typeof key] | undefined = given[key];
    Object.defineProperty(out, key, { get: () => (value ??= make[key]()), enumerable: true });
  }
  return out;
}

export function createRuntime(o: RuntimeOverrides): Runtime {
  return createRuntimeWithClients({ ...o, clients: o.clients ?? createClients(o.clientOptions) });
}

/**
 * createRuntime for a caller that brings its clients: the Lambda entry points, whose clients are
 * built from the makers their function uses (createClientsOf). It does not name createClients,
 * so a bundle that calls only this carries no SDK client its function does not list.
 */
export function createRuntimeWithClients(o: RuntimeOverrides & { clients: AwsClients }): Runtime {
  const { config, clients } = o;
  const names = o.names ?? resourceNames(config.stage);
  const resources: RuntimeResources = { table: names.table, enrichedStream: names.enrichedStream, bus: names.bus, ...o.resources };
  const counter = o.counter ?? new RequestCounter();
  const retry = o.retry;
  const adapterOptions = { counter, ...(retry ? { retry } : {}) };
  const table = resources.table;
  const stores: Stores = lazyRecord<Stores>(o.stores ?? {}, {
    profiles: () => new DynamoProfileStore(clients.doc, table, { ...adapterOptions, retentionDays: config.retention.profileDays }),
    states: () => new DynamoStateStore(clients.doc, table, { ...adapterOptions, retention: config.retention }),
    // Profiles and tombstones where enrich keeps them: one consistent BatchGetItem beside the states'.
    guards: () => new ProfileGuardReader(stores.profiles),
    notify: () => new DynamoNotifyStore(clients.doc, table, { counter }),
    customers: () => new DynamoCustomerItems(clients.doc, table, adapterOptions),
  });
  const queueUrl = resources.quarantineQueueUrl;
  // Built on first use, as the stores are: a function does not construct at cold start the SDK
  // clients it never calls (enrich publishes no event, score reads no secret).
  const ports = lazyRecord<Pick<Runtime, 'publisher' | 'quarantine' | 'secrets'>>(
    { ...(o.publisher ? { publisher: o.publisher } : {}), ...(o.quarantine ? { quarantine: o.quarantine } : {}), ...(o.secrets ? { secrets: o.secrets } : {}) },
    {
      publisher: () => new EventBridgePublisher(clients.eventBridge, resources.bus, adapterOptions),
      quarantine: () => (queueUrl ? quarantineOnFirstSend(() => new SqsQuarantine(clients.sqs, queueUrl, adapterOptions)) : noQuarantine),
      // No ARN given: every read fails; local mode and tests give their secrets.
      secrets: () => new SecretsManagerSource(clients.secrets, {}),
    },
  );
  return {
    config,
    names,
    resources,
    clients,
    stores,
    get publisher() {
      return ports.publisher;
    },
    get quarantine() {
      return ports.quarantine;
    },
    get secrets() {
      return ports.secrets;
    },
    counter,
    now: o.now ?? (() => new Date()),
    ...(retry ? { retry } : {}),
    ...(o.channel ? { channel: o.channel } : {}),
    ...(o.channels ? { channels: o.channels } : {}),
  };
}
