/**
 * The configuration of a `cdk synth`: the defaults, overlaid by the JSON file named by the
 * context `config` (`cdk synth -c config=stages/prod.json`) and the stage named by the context
 * `stage`, validated, then checked for what a deployment needs (validateDeployment). A wrong
 * value is a ConfigError naming the field.
 */
import * as path from 'node:path';
import type { Node } from 'constructs';
import { loadConfig, validateDeployment, type MicroMomentsConfig } from '../shared/config';

export function configFromContext(node: Node, cwd = process.cwd()): MicroMomentsConfig {
  const stage = node.tryGetContext('stage') as unknown;
  const file = node.tryGetContext('config') as unknown;
  const config = loadConfig({
    stage: stage === undefined ? undefined : String(stage),
    file: typeof file === 'string' && file.length > 0 ? path.resolve(cwd, file) : undefined,
  });
  return validateDeployment(config);
}
