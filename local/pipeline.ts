/**
 * The whole pipeline on one machine, running the handler code that is deployed:
 *
 *   signals (kinesalite) ─poller→ enrich ─→ enriched (kinesalite) ─poller→ score
 *     ─→ DynamoDB (dynalite) + the local bus ─rules→ notify-<channel> ─→ webhook receiver / SNS recorder
 *
 * Each handler gets a Runtime of its own (as each Lambda has its own container), built by the
 * same createRuntime as in AWS (localRuntime below): emulator endpoints and static credentials,
 * the local bus as the publisher, a local quarantine (memory + `.local/quarantine.jsonl`), the
 * local pepper and a generated webhook signing secret. On-failure destinations are JSON-lines
 * files under `.local/`.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { KinesisStreamEvent } from 'aws-lambda';
import { loadConfig, type EventSourceSettings, type MicroMomentsConfig } from '../shared/config';
import type { Channel } from '../shared/contracts/enriched';
import { DETAIL_TYPES, type MomentDetectedDetail, type NotificationSentDetail, type NotificationSuppressedDetail } from '../shared/contracts/events';
import type { QuarantineEntry, QuarantineSink } from '../shared/stream/quarantine';
import type { EventPublisher } from '../shared/events/publisher';
import { StaticSecrets } from '../shared/secrets';
import { messageDigestOf } from '../shared/enrich/pseudonymise';
import { createRuntime, type Runtime, type RuntimeOverrides } from '../shared/adapters/runtime';
import { createEnrichHandler } from '../functions/enrich/handler';
import { createScoreHandler } from '../functions/score/handler';
import { createNotifyHandler } from '../functions/notify/handler';
import { startEmulators, type EmulatorOptions, type Emulators } from './emulators';
import { JsonLinesQueue } from './jsonl-queue';
import { EventSourceMapping, StreamArrivals, type KinesisHandler, type KinesisOnFailureRecord, type PollerFaults } from './poller';
import { LocalEventBus, type BusDeadLetter } from './bus';
import { SnsRecorder, WebhookReceiver } from './channels';
import { HandlerOutput } from './handler-output';
import { RunStats } from './run-stats';

export class LocalQuarantine implements QuarantineSink {
  constructor(readonly queue: JsonLinesQueue<QuarantineEntry>) {}
  async send(entries: QuarantineEntry[]): Promise<void> {
    for (const e of entries) this.queue.send(e);
  }
}

/** Where a local handler's effects go, besides the emulators. */
export interface LocalSinks {
  publisher: EventPublisher;
  quarantine: QuarantineSink;
  webhookSecret: string;
}

/**
 * A handler's runtime in local mode: the emulators' table and enriched stream, the local bus and
 * quarantine, the local pepper; `overrides` for what a harness changes (clients, clock, retries).
 */
export function localRuntime(emu: Emulators, config: MicroMomentsConfig, sinks: LocalSinks, overrides: Partial<RuntimeOverrides> = {}): Runtime {
  return createRuntime({
    config,
    names: emu.names,
    resources: { table: emu.table, enrichedStream: emu.streams.enriched.name, bus: emu.names.bus },
    clientOptions: emu.clientOptions,
    publisher: sinks.publisher,
    quarantine: sinks.quarantine,
    secrets: new StaticSecrets({ pepper: config.localPepper, webhook: sinks.webhookSecret }),
    ...overrides,
  });
}

export interface PipelineOptions {
  /** Default: the default configuration, stage `local`. */
  config?: MicroMomentsConfig;
  emulators?: EmulatorOptions;
  /** Where the JSON-lines files go; none: memory only (tests). */
  dataDir?: string;
  /** Send the handlers' logs and metrics to `<dataDir>/handlers.log` instead of the terminal (default true). */
  captureHandlerOutput?: boolean;
  /** Shared-throughput consumers: the wait on a drained shard (default: Lambda's, about a second). */
  pollIntervalMs?: number;
  /** Enhanced fan-out consumers: the longest wait for an arrival nobody reported. */
  pushFallbackMs?: number;
  retryDelayMs?: number;
  /** Overrides of the event source settings (tests shorten retries). */
  eventSources?: Partial<Record<'enrich' | 'score', Partial<EventSourceSettings>>>;
  /** Wraps a handler as deployed (tests inject failures). */
  wrap?: Partial<Record<'enrich' | 'score', (handler: KinesisHandler) => KinesisHandler>>;
  faults?: Partial<Record<'enrich' | 'score', PollerFaults>>;
  /** Retry delay of the bus's target invocations. */
  busRetryDelayMs?: number;
}

export class LocalPipeline {
  readonly stats: RunStats;
  private stopped = false;

  private constructor(
    /** Where this run's files are (none: memory only). */
    readonly dataDir: string | undefined,
    readonly config: MicroMomentsConfig,
    readonly emulators: Emulators,
    readonly bus: LocalEventBus,
    readonly mappings: { enrich: EventSourceMapping; score: EventSourceMapping },
    readonly quarantine: JsonLinesQueue<QuarantineEntry>,
    readonly onFailure: { enrich: JsonLinesQueue<KinesisOnFailureRecord>; score: JsonLinesQueue<KinesisOnFailureRecord> },
    readonly webhook: WebhookReceiver,
    readonly sns: Record<'push' | 'sms', SnsRecorder>,
    private readonly output: HandlerOutput | undefined,
  ) {
    this.stats = new RunStats((id) => messageDigestOf(config.localPepper, id), config.routing);
  }

  static async start(opts: PipelineOptions = {}): Promise<LocalPipeline> {
    const base = opts.config ?? loadConfig({ stage: 'local' });
    const file = (name: string) => (opts.dataDir ? join(opts.dataDir, name) : undefined);
    const output = opts.captureHandlerOutput === false ? undefined : new HandlerOutput(file('handlers.log'));
    output?.install();
    let emulators: Emulators | undefined;
    const webhookSecret = randomBytes(32).toString('hex');
    const webhook = new WebhookReceiver(webhookSecret);
    try {
      emulators = await startEmulators(base, opts.emulators);
      const webhookUrl = await webhook.start();
      const webhookSettings = base.channels.webhook;
      // The webhook channel posts to the local receiver; everything else is the configuration as given.
      const config: MicroMomentsConfig =
        webhookSettings?.kind === 'webhook' ? { ...base, channels: { ...base.channels, webhook: { ...webhookSettings, endpoint: webhookUrl } } } : base;

      const quarantine = new JsonLinesQueue<QuarantineEntry>(emulators.names.quarantineQueue, file('quarantine.jsonl'));
      const onFailure = {
        enrich: new JsonLinesQueue<KinesisOnFailureRecord>(emulators.names.enrichFailureQueue, file('enrich-failures.jsonl')),
        score: new JsonLinesQueue<KinesisOnFailureRecord>(emulators.names.scoreFailureQueue, file('score-failures.jsonl')),
      };
      const bus = new LocalEventBus({
        busName: emulators.names.bus,
        rules: config.routing,
        region: emulators.region,
        account: emulators.account,
        concurrency: config.functions.notify.reservedConcurrency ?? 5,
        deadLetters: new JsonLinesQueue<BusDeadLetter>(`${emulators.names.bus}-notify-failures`, file('notify-failures.jsonl')),
        functionName: (c) => emulators?.names.function(`notify-${c}`) ?? `notify-${c}`,
        ...(opts.busRetryDelayMs !== undefined ? { retryDelayMs: opts.busRetryDelayMs } : {}),
      });
      const sns = { push: new SnsRecorder('push'), sms: new SnsRecorder('sms') };
      const emu = emulators;
      // Every Kinesis client of the pipeline (the CLI's producer, the handlers') reports its writes,
      // which is how enhanced fan-out consumers are pushed to locally (poller/arrivals.ts).
      const arrivals = new StreamArrivals();
      arrivals.watch(emu.clients.kinesis);
      const clientOptions = { ...emu.clientOptions, instrument: <C extends object>(client: C) => arrivals.watch(client) };
      const runtime = (overrides: Partial<RuntimeOverrides> = {}): Runtime =>
        localRuntime(emu, config, { publisher: bus, quarantine: new LocalQuarantine(quarantine), webhookSecret }, { clientOptions, ...overrides });

      const targets = new Set(config.routing.map((r) => r.target));
      for (const channel of targets) {
        const notify = createNotifyHandler(runtime({ channel, channels: { push: sns.push, sms: sns.sms } }));
        bus.setTarget(channel as Channel, notify);
      }

      const mapping = (name: 'enrich' | 'score', handler: KinesisHandler, stream: Emulators['streams']['signals']) =>
        new EventSourceMapping({
          consumer: config.streams[name === 'enrich' ? 'signals' : 'enriched'].consumer,
          arrivals,
          functionName: emu.names.function(name),
          kinesis: emu.clients.kinesis,
          stream,
          settings: { ...config.eventSources[name], ...opts.eventSources?.[name] },
          handler: opts.wrap?.[name]?.(handler) ?? handler,
          onFailure: onFailure[name],
          bisectBatchOnError: true,
          timeoutSeconds: config.functions[name].timeoutSeconds,
          memoryMb: config.functions[name].memoryMb,
          region: emu.region,
          ...(opts.pollIntervalMs !== undefined ? { pollIntervalMs: opts.pollIntervalMs } : {}),
          ...(opts.pushFallbackMs !== undefined ? { pushFallbackMs: opts.pushFallbackMs } : {}),
          ...(opts.retryDelayMs !== undefined ? { retryDelayMs: opts.retryDelayMs } : {}),
          ...(opts.faults?.[name] ? { faults: opts.faults[name] } : {}),
        });
      const enrich = createEnrichHandler(runtime());
      const score = createScoreHandler(runtime());
      const mappings = { enrich: mapping('enrich', enrich, emu.streams.signals), score: mapping('score', score, emu.streams.enriched) };

      const pipeline = new LocalPipeline(opts.dataDir, config, emu, bus, mappings, quarantine, onFailure, webhook, sns, output);
      const stats = pipeline.stats;
      output?.onMetric((p) => stats.onMetric(p));
      quarantine.onMessage((e) => stats.onQuarantine(e));
      bus.on(DETAIL_TYPES.momentDetected, (e) => stats.onMoment(e.detail as MomentDetectedDetail));
      bus.on(DETAIL_TYPES.notificationSent, (e) => stats.onNotification(e.detail as NotificationSentDetail));
      bus.on(DETAIL_TYPES.notificationSuppressed, (e) => stats.onNotification(e.detail as NotificationSuppressedDetail));
      await mappings.enrich.start();
      await mappings.score.start();
      return pipeline;
    } catch (err) {
      await webhook.stop();
      await emulators?.stop();
      output?.restore();
      throw err;
    }
  }

  /**
   * Resolves when everything put so far has gone all the way through: enrich, then score, then
   * every bus delivery (and the events those caused). Each stage only feeds the next one.
   */
  async drain(timeoutMs = 30_000): Promise<void> {
    await this.mappings.enrich.idle(timeoutMs);
    await this.mappings.score.idle(timeoutMs);
    await this.bus.idle();
  }

  /** Stops the pollers (after their calls in flight), the bus, the receiver and the emulators. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      await Promise.all([this.mappings.enrich.stop(), this.mappings.score.stop()]);
      await this.bus.close();
      await this.webhook.stop();
      await this.emulators.stop();
    } finally {
      this.output?.restore();
    }
  }
}

/** The records of a Kinesis event, decoded: for wrappers that pick a record to fail. */
export function eventPayloads(event: KinesisStreamEvent): { sequenceNumber: string; json: unknown }[] {
  return event.Records.map((r) => {
    const text = Buffer.from(r.kinesis.data, 'base64').toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { sequenceNumber: r.kinesis.sequenceNumber, json };
  });
}
