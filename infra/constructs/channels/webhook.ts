/**
 * The webhook kind's resources: the signing key in Secrets Manager (generated, encrypted with the
 * CMK, never output by value), readable by the webhook notify functions only; a warning at synth
 * when a dev stage still posts to the example endpoint (validateDeployment refuses it elsewhere).
 */
import { Annotations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { isExampleEndpoint, type WebhookChannelSettings } from '../../../shared/channels';
import { ENV } from '../../../shared/names';
import { acknowledge } from '../../lib/nag';
import { statefulRemovalPolicy } from '../../lib/removal';
import type { ChannelConstructPart } from './part';

export const webhookPart: ChannelConstructPart<WebhookChannelSettings> = {
  create(scope, { config, names, key, channels }) {
    for (const { channel, settings } of channels) {
      if (!isExampleEndpoint(settings.endpoint)) continue;
      // Outside devStages validateDeployment refuses this; a dev stage deploys, but says so.
      Annotations.of(scope).addWarningV2(
        'micro-moments:example-webhook-endpoint',
        `channels.${channel}.endpoint is the example ${settings.endpoint}: webhook deliveries from this stage will fail and land in the notify-${channel} failure queue`,
      );
    }
    const secret = new secretsmanager.Secret(scope, 'WebhookSigningKey', {
      secretName: names.webhookSecret,
      description: 'HMAC-SHA256 key that signs webhook deliveries; share it with the receiver to verify them.',
      encryptionKey: key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: statefulRemovalPolicy(config),
    });
    acknowledge(
      secret,
      'AwsSolutions-SMG4',
      'The signing key is shared with the webhook receiver, so rotating it must be coordinated with them; the procedure (new key, dual verification window) is in docs/OPERATIONS.md.',
    );
    return {
      environment: () => ({ [ENV.webhookSecretArn]: secret.secretArn }),
      grant: (role) => void secret.grantRead(role),
      outputs: [{ id: 'WebhookSecretArn', value: secret.secretArn, description: 'Webhook signing key, to share with the receiver (the value is never output)' }],
    };
  },
};
