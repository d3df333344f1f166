/** Lambda entry point: the handler built once per container from the environment CDK sets. */
import { runtimeFromEnvironment } from '../common/runtime';
import { createPrivacyHandler } from './handler';

export const handler = createPrivacyHandler(runtimeFromEnvironment('privacy'));
