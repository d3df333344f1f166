/**
 * The single table of DESIGN.md: one partition per customer (pk = C#<customerKey>), item kinds in
 * the sort key, TTL on `expiresAt`. On-demand, encrypted with the stack's key, point-in-time
 * recovery on; kept on update and delete outside the disposable stages (infra/lib/removal.ts).
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { MicroMomentsConfig } from '../../shared/config';
import type { ResourceNames } from '../../shared/names';
import { TABLE_KEYS } from '../../shared/store/keys';
import { isDevStage, statefulRemovalPolicy } from '../lib/removal';

export interface StorageProps {
  config: MicroMomentsConfig;
  names: ResourceNames;
  key: kms.IKey;
}

export class Storage extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const { config } = props;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: props.names.table,
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.ttl,
      // Off unless configured: a protected table cannot be removed by the rollback of a failed
      // first deploy (infra/lib/removal.ts); PITR keeps a system backup of a deleted table.
      deletionProtection: !isDevStage(config) && config.deployment.tableDeletionProtection,
      removalPolicy: statefulRemovalPolicy(config),
    });
  }
}
