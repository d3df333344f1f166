/**
 * The sns kind's resources: one topic for every sns channel (push, SMS), encrypted with the CMK,
 * TLS only; subscribers filter on the `channel` message attribute.
 */
import * as sns from 'aws-cdk-lib/aws-sns';
import type { SnsChannelSettings } from '../../../shared/channels';
import { ENV } from '../../../shared/names';
import type { ChannelConstructPart } from './part';

export const snsPart: ChannelConstructPart<SnsChannelSettings> = {
  create(scope, { names, key }) {
    const topic = new sns.Topic(scope, 'Topic', {
      topicName: names.notificationTopic,
      displayName: 'micro-moments notifications',
      masterKey: key,
      enforceSSL: true,
    });
    return {
      environment: () => ({ [ENV.notificationTopicArn]: topic.topicArn }),
      grant: (role) => void topic.grantPublish(role),
      outputs: [{ id: 'NotificationTopicArn', value: topic.topicArn, description: 'Push and SMS notifications are published here' }],
    };
  },
};
