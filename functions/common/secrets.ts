/**
 * Secrets (the pseudonymisation pepper, the webhook signing key). Read from Secrets Manager once
 * per container and cached for a few minutes, so a rotation reaches warm containers without a
 * call per batch.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export type SecretName = 'pepper' | 'webhook';

export interface SecretSource {
  get(name: SecretName): Promise<string>;
}

export class StaticSecrets implements SecretSource {
  constructor(private readonly values: Partial<Record<SecretName, string>>) {}
  async get(name: SecretName): Promise<string> {
    const value = this.values[name];
    if (!value) throw new Error(`secret "${name}" is not configured`);
    return value;
  }
}

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
