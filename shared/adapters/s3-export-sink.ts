/** The ExportSink of privacy (shared/privacy/export-sink.ts) on S3. */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ExportSink } from '../privacy/export-sink';

/** S3 PutObject with SSE-KMS (the bucket's key unless another is named). */
export class S3ExportSink implements ExportSink {
  private client?: S3Client;

  constructor(
    private readonly bucket: string,
    private readonly opts: { region?: string; kmsKeyId?: string } = {},
  ) {}

  async put(key: string, body: string): Promise<{ location: string }> {
    this.client ??= new S3Client(this.opts.region ? { region: this.opts.region } : {});
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        ServerSideEncryption: 'aws:kms',
        ...(this.opts.kmsKeyId ? { SSEKMSKeyId: this.opts.kmsKeyId } : {}),
      }),
    );
    return { location: `s3://${this.bucket}/${key}` };
  }
}
