/** Lambda entry point: the handler built once per container from the environment CDK sets. */
import { dynamoClient, kinesisClient, secretsClient, sqsClient } from '../../shared/adapters/aws-clients';
import { runtimeFromEnvironment } from '../common/runtime';
import { createEnrichHandler } from './handler';

// The AWS clients it uses, and so the SDK packages its bundle carries: profiles in DynamoDB, the pepper, PutRecords to the enriched stream, the quarantine queue.
export const handler = createEnrichHandler(runtimeFromEnvironment('enrich', { dynamo: dynamoClient, kinesis: kinesisClient, secrets: secretsClient, sqs: sqsClient }));
