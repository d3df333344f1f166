/** Lambda entry point: the handler built once per container from the environment CDK sets. */
import { dynamoClient, eventBridgeClient, secretsClient, sqsClient } from '../../shared/adapters/aws-clients';
import { runtimeFromEnvironment } from '../common/runtime';
import { createPrivacyHandler } from './handler';

// The AWS clients it uses, and so the SDK packages its bundle carries: the customer's partition, Erasure events, the pepper, the quarantine purge (S3 exports build their own client).
export const handler = createPrivacyHandler(runtimeFromEnvironment('privacy', { dynamo: dynamoClient, eventBridge: eventBridgeClient, secrets: secretsClient, sqs: sqsClient }));
