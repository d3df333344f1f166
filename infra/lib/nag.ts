/**
 * cdk-nag 3 acknowledgements. Every one names the rule (and the finding, for rules that report
 * several per resource), is attached to the narrowest construct that needs it, and carries a
 * reason specific enough to be reviewed: a vague reason is refused at synth.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Fewer words than this cannot say why a rule does not apply; the infra tests assert it too. */
export const MIN_REASON_WORDS = 8;

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  const words = reason.trim().split(/\s+/).length;
  if (words < MIN_REASON_WORDS) {
    throw new Error(`cdk-nag acknowledgement ${id} on ${scope.node.path} needs a specific reason (at least ${MIN_REASON_WORDS} words)`);
  }
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Wildcards that CDK's own grants put in a role's default policy, and the one AWS requires.
 * Acknowledged per role, finding by finding, so a new wildcard still fails the check.
 */
export const GRANT_WILDCARDS = {
  kmsGenerateDataKey: {
    id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    reason:
      'CDK key grants (stream.grantWrite, queue.grantSendMessages, bucket.grantPut) add kms:GenerateDataKey* on the one customer-managed key of this stack; the resource is that key ARN, not a wildcard.',
  },
  kmsReEncrypt: {
    id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
    reason:
      'CDK key grants for encrypting producers add kms:ReEncrypt* on the one customer-managed key of this stack; the resource is that key ARN, so nothing outside it is reachable.',
  },
  xray: {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions: AWS requires Resource * for them, and only them.',
  },
} as const;
