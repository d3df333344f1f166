/**
 * Secrets (the pseudonymisation pepper, the webhook signing key), as a port: Secrets Manager in
 * AWS (shared/adapters/secrets-manager.ts), fixed values in local mode and tests.
 */
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
