/** The two places on-failure messages wait, behind one interface. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { JsonLinesFailureSource } from '../../../shared/ops/failure-source';
import { SqsFailureSource } from '../../../shared/adapters/sqs-failure-source';
import { SqsDouble } from './sqs-double';

describe('SqsFailureSource', () => {
  let sqs: SqsDouble;
  beforeEach(() => {
    sqs = new SqsDouble();
  });
  afterEach(() => sqs.restore());

  test('receives at most 10 a call, with a visibility timeout and long polling', async () => {
    for (let i = 0; i < 12; i++) sqs.send({ i });
    const source = new SqsFailureSource(sqs.client, sqs.queueUrl, { visibilityTimeoutSeconds: 120, waitTimeSeconds: 1 });
    expect(await source.receive(50)).toHaveLength(10);
    expect(await source.receive(50)).toHaveLength(2);
    expect(await source.receive(50)).toHaveLength(0);
    expect(sqs.stub.commandCalls(ReceiveMessageCommand)[0].args[0].input).toMatchObject({ MaxNumberOfMessages: 10, VisibilityTimeout: 120, WaitTimeSeconds: 1, QueueUrl: sqs.queueUrl });
  });

  test('remove deletes by the receipt handle; release makes the rest visible at once', async () => {
    sqs.send({ a: 1 });
    sqs.send({ b: 2 });
    const source = new SqsFailureSource(sqs.client, sqs.queueUrl);
    const [first] = await source.receive(10);
    await source.remove(first);
    expect(sqs.stub.commandCalls(DeleteMessageCommand)).toHaveLength(1);
    expect(sqs.depth).toBe(1);
    expect(sqs.visible).toBe(0);
    await source.release();
    expect(sqs.visible).toBe(1);
  });

  test('a message seen earlier in the run is not handed out twice', async () => {
    sqs.send({ a: 1 });
    const source = new SqsFailureSource(sqs.client, sqs.queueUrl);
    expect(await source.receive(10)).toHaveLength(1);
    await source.release(); // visible again, as after a visibility timeout
    expect(await source.receive(10)).toHaveLength(0);
  });

  test('removing a message not received in this run is refused', async () => {
    const source = new SqsFailureSource(sqs.client, sqs.queueUrl);
    await expect(source.remove({ id: 'nope', body: '' })).rejects.toThrow(/not received/);
  });
});

describe('JsonLinesFailureSource', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'failure-source-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('one message per non-blank line; removal rewrites the file keeping other and appended lines', async () => {
    const file = join(dir, 'f.jsonl');
    writeFileSync(file, '{"n":1}\n\n{"n":2}\n{"n":3}\n');
    const source = new JsonLinesFailureSource(file);
    const got = await source.receive(2);
    expect(got.map((m) => m.body)).toEqual(['{"n":1}', '{"n":2}']);
    appendFileSync(file, '{"n":4}\n');
    await source.remove(got[1]);
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n\n{"n":3}\n{"n":4}\n');
    const rest = await source.receive(10);
    expect(rest.map((m) => m.body)).toEqual(['{"n":3}']); // appended lines wait for the next run
    await source.remove(rest[0]);
    await source.remove(got[0]);
    expect(readFileSync(file, 'utf8')).toBe('\n{"n":4}\n');
  });

  test('a missing file is an error, not an empty queue', async () => {
    await expect(new JsonLinesFailureSource(join(dir, 'none.jsonl')).receive(1)).rejects.toThrow(/no such file/);
  });
});
