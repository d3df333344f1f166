/**
 * Where on-failure messages wait: the SQS on-failure queue in AWS, or the JSON-lines file local
 * mode writes (.local/latest/enrich-failures.jsonl, .local/latest/score-failures.jsonl). Redrive sees both
 * through one small interface: receive, remove (once the records are back in the stream), and
 * release (give back what was received and kept, so a dry run or a kept message changes nothing).
 * The SQS one is shared/adapters/sqs-failure-source.ts.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface FailureMessage {
  /** Unique within the source (SQS MessageId, or the line number of the file). */
  id: string;
  body: string;
}

export interface FailureSource {
  /** What the report names as the source (a queue URL or a file path). */
  readonly description: string;
  /** Up to `max` messages not received before in this run; an empty list when none are left. */
  receive(max: number): Promise<FailureMessage[]>;
  /** Deletes a message for good. */
  remove(message: FailureMessage): Promise<void>;
  /** Makes the received messages that were not removed available again at once. */
  release(): Promise<void>;
}

/**
 * A JSON-lines file as a queue: one message per non-blank line, as it was when first read. A
 * removed line is taken out of the file at once. The file is re-read first, so lines a running
 * local pipeline appended meanwhile are kept: others only ever append, so the file is always the
 * first snapshot minus the lines removed here, then whatever was appended.
 */
export class JsonLinesFailureSource implements FailureSource {
  readonly description: string;
  private snapshot: string[] | undefined;
  private next = 0;
  private readonly removed = new Set<number>();

  constructor(private readonly file: string) {
    this.description = file;
  }

  async receive(max: number): Promise<FailureMessage[]> {
    const lines = (this.snapshot ??= this.read());
    const out: FailureMessage[] = [];
    while (this.next < lines.length && out.length < max) {
      const index = this.next++;
      if (lines[index].trim() !== '') out.push({ id: String(index), body: lines[index] });
    }
    return out;
  }

  async remove(message: FailureMessage): Promise<void> {
    const snapshot = this.snapshot ?? [];
    const index = Number(message.id);
    if (!Number.isInteger(index) || index < 0 || index >= snapshot.length) throw new Error(`line ${message.id} was not read in this run`);
    const keptBefore = snapshot.length - this.removed.size;
    const appended = this.read().slice(keptBefore);
    this.removed.add(index);
    const lines = [...snapshot.filter((_, i) => !this.removed.has(i)), ...appended];
    // Written beside and renamed: a crash leaves the old file or the new one, never half of one.
    const tmp = `${this.file}.redrive-tmp`;
    writeFileSync(tmp, lines.length > 0 ? `${lines.join('\n')}\n` : '');
    renameSync(tmp, this.file);
  }

  async release(): Promise<void> {
    // Reading a file hides nothing from anyone.
  }

  /** The file's lines, without the newline that ends the last one. */
  private read(): string[] {
    if (!existsSync(this.file)) throw new Error(`${this.file}: no such file`);
    const text = readFileSync(this.file, 'utf8');
    if (text === '') return [];
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }
}
