/**
 * The single table of DESIGN.md: one partition per customer (pk = C#<customerKey>), item kinds in
 * the sort key, TTL on `expiresAt`. On-demand, encrypted with the stack's key, point-in-time
 * recovery on; protected from deletion outside the disposable stages.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { MicroMomentsConfig } from '../../shared/config';
import type { ResourceNames } from '../../shared/names';
import { TABLE_KEYS } from '../../shared/store/keys';

export interface StorageProps {
  config: MicroMomentsConfig;
  names: ResourceNames;
  key: kms.IKey;
}

export class Storage extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const dev = props.config.devStages.includes(props.config.stage);
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: props.names.table,
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.ttl,
      deletionProtection: !dev,
      removalPolicy: dev ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
  }
}
