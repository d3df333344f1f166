/**
 * The ses kind's resources: one configuration set per email channel (TLS required, reputation
 * metrics, bounces and complaints suppressed), and a send permission scoped as tightly as SES
 * allows: SendEmail only, on the configured identity and that configuration set, from the
 * configured address, to addresses of the relay domain only. The identity itself (a domain with
 * its DKIM records) is the brand's to verify: it is named by configuration, not created here.
 */
import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { isExampleEndpoint, type SesChannelSettings } from '../../../shared/channels';
import { domainOf, SES_CONFIGURATION_SET_ENV } from '../../../shared/channels/ses';
import type { Channel } from '../../../shared/contracts/channel-names';
import { PROJECT } from '../../../shared/names';
import type { ChannelConstructPart } from './part';

/** The identity a channel sends as: configured, else the From address's domain in this account and region. */
export function identityArnOf(scope: Construct, settings: SesChannelSettings): string {
  return settings.identityArn ?? Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: domainOf(settings.fromAddress) });
}

export const sesPart: ChannelConstructPart<SesChannelSettings> = {
  create(scope, { config, channels }) {
    const sets = new Map<Channel, ses.ConfigurationSet>();
    for (const { channel, settings } of channels) {
      if (isExampleEndpoint(`https://${domainOf(settings.fromAddress)}/`) || isExampleEndpoint(`https://${settings.relayDomain}/`)) {
        // Outside devStages validateDeployment refuses this; a dev stage deploys, but says so.
        Annotations.of(scope).addWarningV2(
          'micro-moments:example-email-domain',
          `channels.${channel} sends from or to a domain reserved for documentation: SES will refuse every email of this stage, and the events land in the notify-${channel} failure queue`,
        );
      }
      sets.set(
        channel,
        new ses.ConfigurationSet(scope, `EmailConfigurationSet-${channel}`, {
          configurationSetName: `${PROJECT}-${config.stage}-${channel}`,
          tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
          reputationMetrics: true,
          sendingEnabled: true,
          suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
        }),
      );
    }
    const setOf = (channel: Channel) => sets.get(channel) as ses.ConfigurationSet;
    return {
      environment: (channel) => ({ [SES_CONFIGURATION_SET_ENV]: setOf(channel).configurationSetName }),
      grant(role, channel, settings) {
        const configurationSetArn = Stack.of(scope).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: setOf(channel).configurationSetName });
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['ses:SendEmail'],
            resources: [identityArnOf(scope, settings), configurationSetArn],
            conditions: {
              StringEquals: { 'ses:FromAddress': settings.fromAddress },
              'ForAllValues:StringLike': { 'ses:Recipients': [`*@${settings.relayDomain}`] },
            },
          }),
        );
      },
      outputs: [...sets].map(([channel, set]) => ({
        id: `EmailConfigurationSet${channel[0].toUpperCase()}${channel.slice(1)}`,
        value: set.configurationSetName,
        description: `SES configuration set of channel ${channel}: add event destinations (bounces, complaints, deliveries) here`,
      })),
    };
  },
};
