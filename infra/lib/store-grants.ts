/**
 * One grant per store port: a function is granted on the table what the ports it uses send, as
 * their adapters declare it (shared/adapters/store-actions.ts), never a list written per function.
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { actionsOfPorts, type StorePort } from '../../shared/adapters/store-actions';

export function grantStores(table: dynamodb.ITableV2 | dynamodb.ITable, grantee: iam.IGrantable, ports: readonly StorePort[]): iam.Grant {
  return table.grant(grantee, ...actionsOfPorts(ports));
}
