/** Lambda entry point: the handler built once per container from the environment CDK sets. */
import { dynamoClient, eventBridgeClient, secretsClient, snsClient } from '../../shared/adapters/aws-clients';
import { runtimeFromEnvironment } from '../common/runtime';
import { createNotifyHandler } from './handler';

// The AWS clients it uses, and so the SDK packages its bundle carries: the decision items in DynamoDB, its events on the bus, the webhook secret, SNS for push and SMS (SES is built by its channel adapter, clients.of).
export const handler = createNotifyHandler(runtimeFromEnvironment('notify', { dynamo: dynamoClient, eventBridge: eventBridgeClient, secrets: secretsClient, sns: snsClient }));
