/**
 * Where an access export is written when the request came by event (nobody is waiting for the
 * answer): `exports/<requestId>.json` in the exports bucket, SSE-KMS, expiring with the bucket's
 * lifecycle rule (shared/adapters/s3-export-sink.ts). A port, so the privacy logic is tested
 * without S3.
 */
export interface ExportSink {
  /** Writes the document; answers where it is (`s3://bucket/key`). */
  put(key: string, body: string): Promise<{ location: string }>;
}

export const exportKeyOf = (requestId: string): string => `exports/${requestId}.json`;
