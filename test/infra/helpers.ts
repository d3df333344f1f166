/**
 * One synthesised stack per configuration, shared by the assertions of a file: synths cost
 * seconds each. Bundling is skipped (`aws:cdk:bundling-stacks: []`), so the template tests do not
 * depend on the handlers compiling; `npx cdk synth` bundles for real.
 */
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../infra/app';
import type { MicroMomentsStack } from '../../infra/stack';

export type CfnResource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

export interface Synthesised {
  app: App;
  stack: MicroMomentsStack;
  template: Template;
  resources: Record<string, CfnResource>;
}

export function synth(context: Record<string, unknown> = {}): Synthesised {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const { stack } = buildApp(app);
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, CfnResource>;
  return { app, stack, template, resources };
}

export function ofType(resources: Record<string, CfnResource>, type: string): [string, CfnResource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** The logical id a Ref / Fn::GetAtt points at, or undefined. */
export function refOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  if (Array.isArray(v['Fn::GetAtt'])) return v['Fn::GetAtt'][0] as string;
  return undefined;
}

/** Every acknowledgement (cdk-nag suppression) in the construct tree, with where it was made. */
export function acknowledgements(app: App): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  for (const c of app.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) found.push({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason });
    }
  }
  return found;
}

/** What cdk-nag's AwsSolutions pack still reports after the acknowledgements. */
export function nagFindings(app: App): { rule: string; severity: string; paths: string[] }[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
  return report.violations.map((v) => ({ rule: v.ruleName, severity: v.severity ?? 'error', paths: v.violatingResources.map((r) => r.constructPath ?? '') }));
}

/**
 * A CloudFormation value as one string, intrinsics shown as `${...}`: lets a test compare ARNs
 * built with Fn::Join and match ArnLike patterns against them.
 */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return `\${${v.Ref}}`;
  if (Array.isArray(v['Fn::GetAtt'])) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  if (Array.isArray(v['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(separator);
  }
  return JSON.stringify(value);
}

const glob = (pattern: string, value: string) =>
  new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);

/** One request a service makes, as a policy evaluates it: the action and the context keys it carries. */
export interface ServiceRequest {
  service: string;
  action: string;
  context: Record<string, unknown>;
}

type Statement = { Effect: string; Principal?: { Service?: unknown }; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> };

/**
 * Whether an Allow statement of a resource policy lets `request` through: the service principal,
 * the action (with IAM's `*` wildcards) and every condition, which must find its key in the
 * request's context. StringEquals/ArnEquals compare exactly, StringLike/ArnLike with `*`. Enough
 * of IAM's evaluation to tell a statement that can match from one that never can.
 */
export function allows(statements: Statement[], request: ServiceRequest): boolean {
  return statements.some((st) => {
    if (st.Effect !== 'Allow') return false;
    const services = [st.Principal?.Service].flat().map(flatten);
    if (!services.includes(request.service)) return false;
    if (![st.Action].flat().some((a) => glob(a, request.action))) return false;
    return Object.entries(st.Condition ?? {}).every(([operator, keys]) =>
      Object.entries(keys).every(([key, expected]) => {
        if (!(key in request.context)) return false;
        const actual = flatten(request.context[key]);
        const patterns = [expected].flat().map(flatten);
        if (operator === 'StringEquals' || operator === 'ArnEquals') return patterns.includes(actual);
        if (operator === 'StringLike' || operator === 'ArnLike') return patterns.some((p) => glob(p, actual));
        throw new Error(`allows(): condition operator ${operator} is not modelled`);
      }),
    );
  });
}
