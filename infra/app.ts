/**
 * The CDK app: `npx cdk synth` (offline, no Docker) and `npx cdk deploy`, with `-c stage=<name>`
 * and optionally `-c config=<file.json>`. A configuration error stops the synth with a message
 * naming the field; cdk-nag's AwsSolutions pack checks the synthesised stack.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../shared/config';
import { configFromContext } from './app-config';
import { MicroMomentsStack } from './stack';

export function buildApp(app = new App()): { app: App; stack: MicroMomentsStack } {
  const config = configFromContext(app.node);
  const stack = new MicroMomentsStack(app, {
    config,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (require.main === module) {
  try {
    buildApp().app.synth();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
