/**
 * The sns kind (push and SMS): one Publish per notification to the stack's encrypted topic, whose
 * subscribers deliver by the brand's external id (adapter: shared/adapters/sns-channel.ts). Construct part:
 * infra/constructs/channels/sns.ts; local stand-in: a recorder (local/channels/recorder.ts).
 */
import { ENV } from '../names';
import type { ChannelDescriptor } from './descriptor';

export interface SnsChannelSettings {
  kind: 'sns';
  enabled: boolean;
}

export const snsKind: ChannelDescriptor<SnsChannelSettings> = {
  kind: 'sns',
  summary: 'SNS topic',
  keys: [],
  validate() {},
  secrets: [],
  env: { [ENV.notificationTopicArn]: 'the ARN of the notification topic' },
};
