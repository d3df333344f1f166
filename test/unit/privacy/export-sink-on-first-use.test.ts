/**
 * The S3 client is required when the first export is written (shared/adapters/s3-export-sink.ts):
 * building the sink, as privacy's handler does at cold start, and erasing never load it.
 */
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { S3Client } from '@aws-sdk/client-s3';

describe('S3ExportSink loads the S3 client on first use', () => {
  afterEach(() => jest.dontMock('@aws-sdk/client-s3'));

  test('constructing the sink loads nothing; the first put loads the client once, and writes', async () => {
    let loads = 0;
    let mock: AwsClientStub<S3Client> | undefined;
    let sinkModule!: typeof import('../../../shared/adapters/s3-export-sink');
    jest.isolateModules(() => {
      // The real module, its client mocked as soon as it is loaded (the sink loads it inside put).
      jest.doMock('@aws-sdk/client-s3', () => {
        loads++;
        const s3 = jest.requireActual('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
        mock = mockClient(s3.S3Client);
        mock.on(s3.PutObjectCommand).resolves({});
        return s3;
      });
      sinkModule = jest.requireActual('../../../shared/adapters/s3-export-sink');
    });
    const sink = new sinkModule.S3ExportSink('exports-bucket', { region: 'eu-west-1' });
    expect(loads).toBe(0);
    await expect(sink.put('exports/a.json', '{}')).resolves.toEqual({ location: 's3://exports-bucket/exports/a.json' });
    await sink.put('exports/b.json', '{}');
    expect(loads).toBe(1);
    expect(mock?.calls().map((c) => (c.args[0].input as { Key?: string }).Key)).toEqual(['exports/a.json', 'exports/b.json']);
    mock?.restore();
  });
});
