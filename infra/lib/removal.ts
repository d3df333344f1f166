/**
 * What happens to stateful resources (key, table, streams, queues, secrets, log groups, bucket)
 * when CloudFormation removes them. Disposable stages (devStages) delete them. Every other stage
 * keeps them on update and delete — but not when the deploy that created them rolls back:
 * `RetainExceptOnCreate` lets a failed first deploy clean up after itself, so the retry does not
 * fail on named resources that plain `Retain` would have left behind ("already exists").
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { MicroMomentsConfig } from '../../shared/config';

export function isDevStage(config: Pick<MicroMomentsConfig, 'stage' | 'devStages'>): boolean {
  return config.devStages.includes(config.stage);
}

export function statefulRemovalPolicy(config: Pick<MicroMomentsConfig, 'stage' | 'devStages'>): RemovalPolicy {
  return isDevStage(config) ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
}
