/**
 * Email over SES in the stack (examples/email.json, stage dev): the ses kind's construct part
 * adds a configuration set and one notify function whose only SES permission is SendEmail on the
 * configured identity and that configuration set, from the configured address, to the relay
 * domain; nothing else in the stack may send email. cdk-nag has nothing to report.
 */
import * as path from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { SES_CONFIGURATION_SET_ENV } from '../../shared/channels/ses';
import { ENV, resourceNames } from '../../shared/names';
import { flatten, nagFindings, ofType, refOf, synth, type CfnResource, type Synthesised } from './helpers';

const names = resourceNames('dev');
let s: Synthesised;

beforeAll(() => {
  s = synth({ config: path.resolve(__dirname, '..', '..', 'examples', 'email.json') });
});

const props = (r: CfnResource) => r.Properties as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- CloudFormation JSON
const fnOf = (name: string) => {
  const found = ofType(s.resources, 'AWS::Lambda::Function').find(([, r]) => props(r).FunctionName === names.function(name));
  if (!found) throw new Error(`no function ${name}`);
  return found;
};
const statementsOfRole = (roleId: string | undefined) =>
  ofType(s.resources, 'AWS::IAM::Policy')
    .filter(([, p]) => (props(p).Roles as unknown[]).some((r) => refOf(r) === roleId))
    .flatMap(([, p]) => props(p).PolicyDocument.Statement as Record<string, unknown>[]);
const actionsOf = (st: Record<string, unknown>) => [st.Action].flat() as string[];

test('a configuration set for the email channel: TLS required, reputation metrics, bounces and complaints suppressed', () => {
  s.template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
  s.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
    Name: 'micro-moments-dev-email',
    DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    ReputationOptions: { ReputationMetricsEnabled: true },
    SendingOptions: { SendingEnabled: true },
    SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
  });
  expect(s.template.toJSON().Outputs.EmailConfigurationSetEmail).toBeDefined();
});

test('notify-email: its channel and configuration set in the environment, and nothing of the other kinds', () => {
  const [, fn] = fnOf('notify-email');
  const env = props(fn).Environment.Variables as Record<string, unknown>;
  expect(env[ENV.channel]).toBe('email');
  const [[setId]] = ofType(s.resources, 'AWS::SES::ConfigurationSet');
  expect(refOf(env[SES_CONFIGURATION_SET_ENV])).toBe(setId);
  expect(env[ENV.notificationTopicArn]).toBeUndefined();
  expect(env[ENV.webhookSecretArn]).toBeUndefined();
});

test('notify-email may SendEmail only as the identity, through its configuration set, from the configured address, to the relay domain', () => {
  const statements = statementsOfRole(refOf(props(fnOf('notify-email')[1]).Role));
  const sesStatements = statements.filter((st) => actionsOf(st).some((a) => a.startsWith('ses:')));
  expect(sesStatements).toHaveLength(1);
  const [st] = sesStatements;
  expect(actionsOf(st)).toEqual(['ses:SendEmail']);
  // The identity: the From address's domain in this account and region (no identityArn configured).
  const [[setId]] = ofType(s.resources, 'AWS::SES::ConfigurationSet');
  expect(([st.Resource].flat() as unknown[]).map(flatten)).toEqual([
    'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/mail.example.com',
    `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:configuration-set/\${${setId}}`,
  ]);
  expect(st.Condition).toEqual({
    StringEquals: { 'ses:FromAddress': 'moments@mail.example.com' },
    'ForAllValues:StringLike': { 'ses:Recipients': ['*@customers.example.com'] },
  });
  // Nothing of the other kinds.
  const all = statements.flatMap(actionsOf);
  expect(all).not.toContain('sns:Publish');
  expect(all).not.toContain('secretsmanager:GetSecretValue');
});

test('no other role may send email', () => {
  const emailRole = refOf(props(fnOf('notify-email')[1]).Role);
  for (const [roleId] of ofType(s.resources, 'AWS::IAM::Role')) {
    if (roleId === emailRole) continue;
    expect({ roleId, ses: statementsOfRole(roleId).flatMap(actionsOf).filter((a) => a.startsWith('ses:')) }).toEqual({ roleId, ses: [] });
  }
});

test('a dev stage on the example domains deploys with a warning; cdk-nag reports nothing', () => {
  Annotations.fromStack(s.stack).hasWarning('*', Match.stringLikeRegexp('channels.email sends from or to a domain reserved for documentation'));
  expect(nagFindings(s.app)).toEqual([]);
});
