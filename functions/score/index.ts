/** Lambda entry point: the handler built once per container from the environment CDK sets. */
import { dynamoClient, eventBridgeClient, sqsClient } from '../../shared/adapters/aws-clients';
import { runtimeFromEnvironment } from '../common/runtime';
import { createScoreHandler } from './handler';

// The AWS clients it uses, and so the SDK packages its bundle carries: states, moments and guards in DynamoDB, Moment Detected on the bus, the quarantine queue.
export const handler = createScoreHandler(runtimeFromEnvironment('score', { dynamo: dynamoClient, eventBridge: eventBridgeClient, sqs: sqsClient }));
