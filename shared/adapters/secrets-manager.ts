/**
 * The SecretSource (shared/secrets.ts) on Secrets Manager: each secret read once per container and
 * cached for a few minutes, so a rotation reaches warm containers without a call per batch.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretName, SecretSource } from '../secrets';

export class SecretsManagerSource implements SecretSource {
  private readonly cache = new Map<SecretName, { value: string; until: number }>();
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly arns: Partial<Record<SecretName, string>>,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async get(name: SecretName): Promise<string> {
    const hit = this.cache.get(name);
    if (hit && hit.until > Date.now()) return hit.value;
    const arn = this.arns[name];
    if (!arn) throw new Error(`secret "${name}" has no ARN in the environment`);
    const res = await this.client.send(new GetSecretValueCommand({ SecretId: arn }));
    const value = res.SecretString;
    if (!value) throw new Error(`secret "${name}" is empty`);
    this.cache.set(name, { value, until: Date.now() + this.ttlMs });
    return value;
  }
}
