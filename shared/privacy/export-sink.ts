/**
 * Where an access export is written when the request came by event (nobody is waiting for the
 * answer): `exports/<requestId>.json` in the exports bucket, SSE-KMS, expiring with the bucket's
 * lifecycle rule. A port, so the privacy logic is tested without S3.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface ExportSink {
  /** Writes the document; answers where it is (`s3://bucket/key`). */
  put(key: string, body: string): Promise<{ location: string }>;
}

export const exportKeyOf = (requestId: string): string => `exports/${requestId}.json`;

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
