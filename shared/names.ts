/**
 * Names of every resource, derived from the stage: read by CDK, the handlers and local mode, so
 * the emulators hold the same streams, table and bus as AWS.
 */
export const PROJECT = 'micro-moments';

export interface ResourceNames {
  stack: string;
  signalsStream: string;
  enrichedStream: string;
  table: string;
  bus: string;
  archive: string;
  schemaRegistry: string;
  quarantineQueue: string;
  enrichFailureQueue: string;
  scoreFailureQueue: string;
  pepperSecret: string;
  webhookSecret: string;
  notificationTopic: string;
  alarmTopic: string;
  dashboard: string;
  function: (name: string) => string;
}

export function resourceNames(stage: string): ResourceNames {
  const p = `${PROJECT}-${stage}`;
  return {
    stack: `MicroMoments-${stage}`,
    signalsStream: `${p}-signals`,
    enrichedStream: `${p}-enriched`,
    table: `${p}-customers`,
    bus: `${p}-bus`,
    archive: `${p}-moments`,
    schemaRegistry: `${p}-events`,
    quarantineQueue: `${p}-quarantine`,
    enrichFailureQueue: `${p}-enrich-failures`,
    scoreFailureQueue: `${p}-score-failures`,
    pepperSecret: `${p}/pepper`,
    webhookSecret: `${p}/webhook-signing`,
    notificationTopic: `${p}-notifications`,
    alarmTopic: `${p}-alarms`,
    dashboard: `${p}`,
    function: (name: string) => `${p}-${name}`,
  };
}

/** Environment variables the deployed functions read (set by CDK, set the same by local mode). */
export const ENV = {
  stage: 'MM_STAGE',
  table: 'MM_TABLE',
  enrichedStream: 'MM_ENRICHED_STREAM',
  bus: 'MM_BUS',
  quarantineQueueUrl: 'MM_QUARANTINE_URL',
  pepperSecretArn: 'MM_PEPPER_SECRET_ARN',
  webhookSecretArn: 'MM_WEBHOOK_SECRET_ARN',
  notificationTopicArn: 'MM_NOTIFICATION_TOPIC_ARN',
  channel: 'MM_CHANNEL',
  /** privacy: the bucket that access exports are written to. */
  exportBucket: 'MM_EXPORT_BUCKET',
  /** The whole validated configuration, baked into the bundle at synth (esbuild define). */
  config: 'MM_CONFIG',
} as const;
