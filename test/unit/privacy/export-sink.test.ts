import { mockClient } from 'aws-sdk-client-mock';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { exportKeyOf } from '../../../shared/privacy/export-sink';
import { S3ExportSink } from '../../../shared/adapters/s3-export-sink';

describe('S3ExportSink', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());

  test('writes the document with SSE-KMS under exports/<requestId>.json', async () => {
    s3.on(PutObjectCommand).resolves({});
    const sink = new S3ExportSink('exports-bucket', { region: 'eu-west-1' });
    const result = await sink.put(exportKeyOf('req-1'), '{"profile":null}');
    expect(result).toEqual({ location: 's3://exports-bucket/exports/req-1.json' });
    const input = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(input).toMatchObject({ Bucket: 'exports-bucket', Key: 'exports/req-1.json', ServerSideEncryption: 'aws:kms', ContentType: 'application/json' });
  });

  test('a failed write is an error, not a silent loss', async () => {
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    await expect(new S3ExportSink('b').put('exports/x.json', '{}')).rejects.toThrow('AccessDenied');
  });
});
