/**
 * The one S3 call of the export sink, in a module of its own so that shared/adapters/s3-export-sink.ts
 * can require it on first use: a require of `@aws-sdk/client-s3` itself would keep every command
 * of the package in the bundle (esbuild cannot tree-shake a module read as a whole), this
 * module's named imports keep only the client and PutObject.
 */
import { PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';

export const createS3Client = (region?: string): S3Client => new S3Client(region ? { region } : {});

export async function putObject(client: S3Client, input: PutObjectCommandInput): Promise<void> {
  await client.send(new PutObjectCommand(input));
}
