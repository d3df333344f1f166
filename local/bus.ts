/**
 * The event bus in local mode: an EventPublisher (the port the handlers publish through) that
 * behaves like the EventBridge bus the CDK stack deploys.
 *
 * - Every published event becomes a real EventBridge event (id, version '0', source,
 *   detail-type, time, region, account, resources, detail) and is matched against the very
 *   routing rules CDK deploys (config.routing), with EventBridge's pattern semantics
 *   (shared/routing/event-pattern.ts).
 * - Delivery to a rule's target (the notify handler of its channel) is asynchronous, as with
 *   EventBridge: publish() returns once the events are accepted. A target runs at most
 *   `concurrency` invocations at once (the notify function's reserved concurrency).
 * - A target that throws is retried like a Lambda asynchronous invocation (2 retries, as the
 *   stack configures the notify functions), with a short backoff instead of minutes; then the
 *   event goes to a local dead-letter list (and JSON-lines file) with the error, the rule and
 *   the target, like the notify function's failure queue.
 * - Listeners see every published event, so the CLI counts moments and notification decisions.
 */
import { randomUUID } from 'node:crypto';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import type { RoutingRule } from '../shared/config';
import type { Channel } from '../shared/contracts/enriched';
import { EVENT_SOURCE } from '../shared/contracts/events';
import type { EventPublisher, OutgoingEvent } from '../shared/events/publisher';
import { sleep } from '../shared/adapters/retry';
import { compileEventPattern, validateEventPattern } from '../shared/routing/event-pattern';
import { JsonLinesQueue } from './jsonl-queue';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './emulators';
import { lambdaContext } from './lambda-context';

export type BusEvent = EventBridgeEvent<string, unknown>;
export type BusTarget = (event: BusEvent, context: Context) => Promise<unknown>;

export interface BusDeadLetter {
  event: BusEvent;
  rule: string;
  target: Channel;
  attempts: number;
  error: string;
  failedAt: string;
}

export interface LocalEventBusOptions {
  busName: string;
  rules: RoutingRule[];
  region?: string;
  account?: string;
  /** Invocations of the target: 1 + the retries of a Lambda asynchronous invocation (2). */
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Concurrent invocations per target. */
  concurrency?: number;
  deadLetters?: JsonLinesQueue<BusDeadLetter>;
  /** Function name of a channel's target, for the Lambda context. */
  functionName?: (channel: Channel) => string;
}

export interface BusStats {
  published: Record<string, number>;
  matchedByRule: Record<string, number>;
  invocations: number;
  failedInvocations: number;
  deadLettered: number;
}

interface CompiledRule {
  rule: RoutingRule;
  matches: (event: unknown) => boolean;
}

/** EventBridge writes `time` to the second: 2026-11-23T18:43:48Z. */
const eventTime = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class LocalEventBus implements EventPublisher {
  readonly stats: BusStats = { published: {}, matchedByRule: {}, invocations: 0, failedInvocations: 0, deadLettered: 0 };
  readonly deadLetters: JsonLinesQueue<BusDeadLetter>;
  private readonly rules: CompiledRule[];
  private readonly targets = new Map<Channel, BusTarget>();
  private readonly semaphores = new Map<Channel, Semaphore>();
  private readonly listeners: { detailType: string; fn: (event: BusEvent) => void }[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly o: LocalEventBusOptions) {
    this.rules = o.rules.map((rule) => {
      const invalid = validateEventPattern(rule.pattern);
      if (invalid) throw new Error(`routing rule ${rule.name}: invalid event pattern: ${invalid}`);
      return { rule, matches: compileEventPattern(rule.pattern) };
    });
    this.deadLetters = o.deadLetters ?? new JsonLinesQueue<BusDeadLetter>(`${o.busName}-dead-letters`);
  }

  /** The function a channel's rules invoke (its notify handler). */
  setTarget(channel: Channel, target: BusTarget): void {
    this.targets.set(channel, target);
    this.semaphores.set(channel, new Semaphore(this.o.concurrency ?? 5));
  }

  /** Called for every event published with this detail-type ('*' for all), before routing. */
  on(detailType: string, fn: (event: BusEvent) => void): void {
    this.listeners.push({ detailType, fn });
  }

  async publish(events: OutgoingEvent[]): Promise<void> {
    if (this.closed) throw new Error(`bus ${this.o.busName} is closed`);
    for (const e of events) {
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': e.detailType,
        source: EVENT_SOURCE,
        account: this.o.account ?? LOCAL_ACCOUNT,
        time: eventTime(e.time ?? new Date()),
        region: this.o.region ?? LOCAL_REGION,
        resources: e.resources ?? [],
        // A copy, as over the wire: a target can never change what the publisher holds.
        detail: JSON.parse(JSON.stringify(e.detail)) as unknown,
      };
      this.stats.published[event['detail-type']] = (this.stats.published[event['detail-type']] ?? 0) + 1;
      for (const l of this.listeners) {
        if (l.detailType !== '*' && l.detailType !== event['detail-type']) continue;
        try {
          l.fn(event);
        } catch {
          // A listener is an observer: it cannot fail a publish.
        }
      }
      for (const { rule, matches } of this.rules) {
        if (!matches(event)) continue;
        this.stats.matchedByRule[rule.name] = (this.stats.matchedByRule[rule.name] ?? 0) + 1;
        this.track(this.deliver(rule, event));
      }
    }
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async deliver(rule: RoutingRule, event: BusEvent): Promise<void> {
    // Asynchronous like EventBridge: the publisher never waits on a target, not even a microtask.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const target = this.targets.get(rule.target);
    const maxAttempts = this.o.maxAttempts ?? 3;
    if (!target) {
      this.deadLetter(rule, event, 0, `no target for channel ${rule.target}`);
      return;
    }
    const semaphore = this.semaphores.get(rule.target) as Semaphore;
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep((this.o.retryDelayMs ?? 100) * 2 ** (attempt - 2));
      try {
        this.stats.invocations++;
        const name = this.o.functionName?.(rule.target) ?? `notify-${rule.target}`;
        await semaphore.run(() => target(event, lambdaContext(name)));
        return;
      } catch (err) {
        this.stats.failedInvocations++;
        lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
    }
    this.deadLetter(rule, event, maxAttempts, lastError);
  }

  private deadLetter(rule: RoutingRule, event: BusEvent, attempts: number, error: string): void {
    this.stats.deadLettered++;
    this.deadLetters.send({ event, rule: rule.name, target: rule.target, attempts, error, failedAt: new Date().toISOString() });
  }

  /** Resolves when every delivery accepted so far (and any it caused) has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Refuses new events and waits for deliveries in flight. */
  async close(): Promise<void> {
    await this.idle();
    this.closed = true;
  }
}
