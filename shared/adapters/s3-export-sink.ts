/**
 * The ExportSink of privacy (shared/privacy/export-sink.ts) on S3.
 *
 * The S3 client (about 100 KB of the privacy bundle) is required, through shared/adapters/s3-put-object.ts,
 * when the first export is written, not imported: privacy erases as often as it exports, and an erasure never writes to S3, so its
 * module's initialisation is not paid at every cold start (esbuild keeps it in the same file, so
 * only its compile remains; issue 12).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ExportSink } from '../privacy/export-sink';

type S3Put = typeof import('./s3-put-object');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use on purpose
const s3Put = (): S3Put => require('./s3-put-object') as S3Put;

/** S3 PutObject with SSE-KMS (the bucket's key unless another is named). */
export class S3ExportSink implements ExportSink {
  private client?: S3Client;

  constructor(
    private readonly bucket: string,
    private readonly opts: { region?: string; kmsKeyId?: string } = {},
  ) {}

  async put(key: string, body: string): Promise<{ location: string }> {
    const { createS3Client, putObject } = s3Put();
    this.client ??= createS3Client(this.opts.region);
    await putObject(this.client, {
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ContentType: 'application/json',
      ServerSideEncryption: 'aws:kms',
      ...(this.opts.kmsKeyId ? { SSEKMSKeyId: this.opts.kmsKeyId } : {}),
    });
    return { location: `s3://${this.bucket}/${key}` };
  }
}
