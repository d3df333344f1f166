/** Lambda entry point: the handler built once per container from the environment CDK sets. */
import { runtimeFromEnvironment } from '../common/runtime';
import { createNotifyHandler } from './handler';

export const handler = createNotifyHandler(runtimeFromEnvironment('notify'));
