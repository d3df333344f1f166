/**
 * A local stand-in for an SQS queue that only receives (on-failure destinations, dead-letter
 * queues, the quarantine): messages are kept in memory, for tests and the report, and appended
 * to a JSON-lines file when one is given, so an operator can read them after the run.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export class JsonLinesQueue<T> {
  readonly messages: T[] = [];
  private readonly listeners: ((message: T) => void)[] = [];

  constructor(
    readonly name: string,
    readonly file?: string,
  ) {
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  send(message: T): void {
    this.messages.push(message);
    // Synchronous on purpose: the message is on disk before the caller checkpoints past it.
    if (this.file) appendFileSync(this.file, `${JSON.stringify(message)}\n`);
    for (const l of this.listeners) l(message);
  }

  onMessage(listener: (message: T) => void): void {
    this.listeners.push(listener);
  }

  get length(): number {
    return this.messages.length;
  }
}
