/**
 * One Lambda function of the pipeline, built the same way for all: Node.js 24 on arm64, bundled
 * by the local esbuild (no Docker), minified with source maps, the validated configuration baked
 * in, its own encrypted log group, its own role with nothing but what its grants add, tracing on.
 */
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSettings, MicroMomentsConfig } from '../../shared/config';
import { ENV, type ResourceNames } from '../../shared/names';
import { METRICS_NAMESPACE } from '../../shared/observability/metric-names';
import { acknowledge, GRANT_WILDCARDS } from './nag';
import { statefulRemovalPolicy } from './removal';
import { BUNDLE_MAIN_FIELDS, BUNDLE_TARGET, bundleDefines, bundleEsbuildArgs, bundleExternals, bundleNodeOptions } from './bundling';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface PipelineFunctionProps {
  /** The logical name: enrich, score, notify-<channel>, privacy. Also the metrics `service`. */
  service: string;
  /** The folder under functions/ whose index.ts is the entry point. */
  entryFolder: string;
  settings: FunctionSettings;
  config: MicroMomentsConfig;
  names: ResourceNames;
  key: kms.IKey;
  environment?: Record<string, string>;
  description: string;
}

export class PipelineFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly service: string;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const { config, names, settings } = props;
    const functionName = names.function(props.service);
    this.service = props.service;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      // validateConfig only admits CloudWatch's retention periods, which are RetentionDays' values.
      retention: config.retention.logDays as logs.RetentionDays,
      encryptionKey: props.key,
      removalPolicy: statefulRemovalPolicy(config),
    });

    // A role of its own instead of the managed AWSLambdaBasicExecutionRole: that policy allows
    // writing to every log group of the account; this one writes to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      description: props.description,
      entry: path.join(PROJECT_ROOT, 'functions', props.entryFolder, 'index.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: settings.memoryMb,
      timeout: Duration.seconds(settings.timeoutSeconds),
      reservedConcurrentExecutions: settings.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        [ENV.stage]: config.stage,
        ...(bundleNodeOptions() ? { NODE_OPTIONS: bundleNodeOptions() } : {}),
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      bundling: {
        // The local esbuild from devDependencies: `cdk synth` works offline and without Docker.
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: BUNDLE_TARGET,
        mainFields: BUNDLE_MAIN_FIELDS,
        // The SDK is bundled or left to the runtime's copy: infra/lib/bundling.ts decides (cold start against size).
        externalModules: bundleExternals(),
        define: bundleDefines(config),
        // Module replacements (the credential chain by the environment provider): infra/lib/bundling.ts.
        esbuildArgs: bundleEsbuildArgs(),
      },
    });

    acknowledge(this.role, GRANT_WILDCARDS.xray.id, GRANT_WILDCARDS.xray.reason);
    acknowledge(this.role, GRANT_WILDCARDS.kmsGenerateDataKey.id, GRANT_WILDCARDS.kmsGenerateDataKey.reason);
    acknowledge(this.role, GRANT_WILDCARDS.kmsReEncrypt.id, GRANT_WILDCARDS.kmsReEncrypt.reason);
    acknowledge(
      this.fn,
      'AwsSolutions-L1',
      'Node.js 24 is pinned on purpose (not NODEJS_LATEST): it is the runtime the project tests and benchmarks on (the node devDependency), and a runtime move is a tested upgrade, not a silent one.',
    );
  }
}
