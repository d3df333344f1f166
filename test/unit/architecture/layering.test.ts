/**
 * The layering of docs/ARCHITECTURE.md, checked on the sources as they are: the AWS SDK only in
 * shared/adapters (the domain folders hold ports and pure logic); infra/ and scripts/ never reach
 * into functions/ (what they share with the handlers lives in shared/); local/ takes from
 * functions/ the handler factories and nothing else, so local mode runs the deployed handlers
 * without copying their wiring. Each rule is also shown to catch a violation it was written for.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..', '..');
const SDK = /^@aws-sdk\/|^@smithy\//;
const FACTORY = /^create[A-Z]\w*Handler$/;

interface Source {
  /** Relative to the repository, with forward slashes. */
  path: string;
  text: string;
}

interface ImportOf {
  module: string;
  /** The module as a repository path (relative specifiers only), without extension. */
  target?: string;
  /** Named bindings, or undefined for a namespace, default, side-effect or dynamic import. */
  names?: string[];
}

const posix = (p: string) => p.split(sep).join('/');

function importsOf(file: Source): ImportOf[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: ImportOf[] = [];
  const add = (module: string, names?: string[]) => {
    const target = module.startsWith('.') ? posix(relative(ROOT, resolve(ROOT, dirname(file.path), module))) : undefined;
    out.push({ module, ...(target !== undefined ? { target } : {}), ...(names ? { names } : {}) });
  };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      let names: string[] | undefined;
      if (ts.isImportDeclaration(node)) {
        const b = node.importClause?.namedBindings;
        names = node.importClause && !node.importClause.name && b && ts.isNamedImports(b) ? b.elements.map((e) => (e.propertyName ?? e.name).text) : undefined;
      } else if (node.exportClause && ts.isNamedExports(node.exportClause)) {
        names = node.exportClause.elements.map((e) => (e.propertyName ?? e.name).text);
      }
      add(node.moduleSpecifier.text, names);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) add(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const under = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
/** The domain folders: shared/ but its adapters. */
const domain = (path: string) => under(path, 'shared') && !under(path, 'shared/adapters');
/**
 * What a domain module may take from shared/adapters: the retry policy, pure code the ports'
 * failure types share (the first test checks it imports no SDK).
 */
const PURE_ADAPTERS = ['shared/adapters/retry'];

/** Every broken rule, one line each, naming the file and the import. */
function layeringViolations(files: readonly Source[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    for (const imp of importsOf(file)) {
      if (domain(file.path) && SDK.test(imp.module)) {
        found.push(`${file.path}: imports ${imp.module} outside shared/adapters`);
      }
      if (domain(file.path) && imp.target !== undefined && under(imp.target, 'shared/adapters') && !PURE_ADAPTERS.includes(imp.target.replace(/\.(ts|js)$/, ''))) {
        found.push(`${file.path}: imports ${imp.module}, an AWS adapter, from a domain folder (take a port)`);
      }
      if (imp.target === undefined || !under(imp.target, 'functions')) continue;
      if (under(file.path, 'infra') || under(file.path, 'scripts')) found.push(`${file.path}: imports ${imp.module} (functions/)`);
      if (under(file.path, 'local')) {
        const factoryModule = /^functions\/[^/]+\/handler$/.test(imp.target.replace(/\.(ts|js)$/, ''));
        const onlyFactories = imp.names !== undefined && imp.names.length > 0 && imp.names.every((n) => FACTORY.test(n));
        if (!factoryModule || !onlyFactories) found.push(`${file.path}: imports ${imp.names?.join(', ') ?? '*'} from ${imp.module}, not a handler factory`);
      }
    }
  }
  return found;
}

function sourcesUnder(folder: string): Source[] {
  return (readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.split(sep).includes('node_modules'))
    .map((f) => {
      const path = posix(join(folder, f));
      return { path, text: readFileSync(join(ROOT, path), 'utf8') };
    });
}

describe('layering', () => {
  const tree = ['shared', 'infra', 'scripts', 'local'].flatMap(sourcesUnder);

  test('the tree keeps every rule', () => {
    expect(tree.filter((f) => f.path.startsWith('shared/')).length).toBeGreaterThan(50);
    expect(tree.some((f) => f.path.startsWith('local/'))).toBe(true);
    expect(layeringViolations(tree)).toEqual([]);
    const pure = tree.filter((f) => PURE_ADAPTERS.includes(f.path.replace(/\.ts$/, '')));
    expect(pure).toHaveLength(PURE_ADAPTERS.length);
    for (const f of pure) expect(importsOf(f).filter((i) => SDK.test(i.module) || (i.target !== undefined && !i.target.startsWith('shared/')))).toEqual([]);
  });

  test('an SDK import under a domain folder is caught, in any form; under shared/adapters it is not', () => {
    const bad: Source[] = [
      { path: 'shared/privacy/erase.ts', text: "import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';" },
      { path: 'shared/notify/x.ts', text: "import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';" },
      { path: 'shared/store/y.ts', text: "export { NodeHttpHandler } from '@smithy/node-http-handler';" },
      { path: 'shared/ops/z.ts', text: "const sqs = await import('@aws-sdk/client-sqs');" },
      { path: 'shared/ops/w.ts', text: "type C = import('@aws-sdk/client-s3').S3Client;" },
      { path: 'shared/ops/v.ts', text: "const k = require('@aws-sdk/client-kinesis');" },
    ];
    expect(layeringViolations(bad)).toHaveLength(bad.length);
    // erase.ts deletes through the CustomerItemStore port, never with the DynamoDB batch writer itself.
    expect(layeringViolations([{ path: 'shared/privacy/erase.ts', text: "import { batchWrite } from '../adapters/dynamo';" }])).toHaveLength(1);
    expect(layeringViolations([{ path: 'shared/privacy/erase.ts', text: "import { sleep } from '../adapters/retry';" }])).toEqual([]);
    expect(layeringViolations([{ path: 'shared/adapters/dynamo.ts', text: "import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';" }])).toEqual([]);
  });

  test('infra/ or scripts/ importing functions/ is caught', () => {
    const bad: Source[] = [
      { path: 'infra/constructs/processing.ts', text: "import { METRICS_NAMESPACE } from '../../functions/common/observability';" },
      { path: 'scripts/replay.ts', text: "import type { KinesisHandler } from '../functions/common/kinesis-batch';" },
      { path: 'infra/lib/function.ts', text: "export * from '../../functions/score/handler';" },
    ];
    expect(layeringViolations(bad)).toHaveLength(bad.length);
    expect(layeringViolations([{ path: 'infra/lib/function.ts', text: "const entry = '../../functions/score/index.ts';" }])).toEqual([]);
  });

  test('local/ may import the handler factories and nothing else from functions/', () => {
    expect(layeringViolations([{ path: 'local/pipeline.ts', text: "import { createScoreHandler, createEnrichHandler } from '../functions/score/handler';" }])).toEqual([]);
    const bad: Source[] = [
      { path: 'local/pipeline.ts', text: "import { runtimeFromEnvironment } from '../functions/common/runtime';" },
      { path: 'local/pipeline.ts', text: "import { createScoreHandler, scoreRecords } from '../functions/score/handler';" },
      { path: 'local/pipeline.ts', text: "import * as score from '../functions/score/handler';" },
      { path: 'local/pipeline.ts', text: "import { handler } from '../functions/score';" },
      { path: 'local/poller/x.ts', text: "import '../../functions/enrich/index';" },
    ];
    expect(layeringViolations(bad)).toHaveLength(bad.length);
  });
});

describe('dependencies', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies?: Record<string, string> };

  // The credential providers are released on a line of their own (3.972.x beside clients at 3.1142.x):
  // one of them is held to the version the clients' own provider chain resolves instead.
  const isCredentialProvider = (name: string) => name.startsWith('@aws-sdk/credential-provider-');

  test('every @aws-sdk/* package is at one version', () => {
    const sdk = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(([name]) => name.startsWith('@aws-sdk/') && !isCredentialProvider(name));
    expect(sdk.length).toBeGreaterThan(3);
    expect(new Set(sdk.map(([, version]) => version)).size).toBe(1);
  });

  test("a direct @aws-sdk/credential-provider-* dependency is the version the clients' credential chain uses", () => {
    const installed = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    for (const [name, version] of Object.entries(pkg.dependencies).filter(([n]) => isCredentialProvider(n))) {
      expect(`${name}@${version}`).toBe(`${name}@${installed(name)}`);
      // Hoisted, so one copy: the one @aws-sdk/credential-provider-node (every client's default chain) loads.
      expect(existsSync(join(ROOT, 'node_modules', '@aws-sdk', 'credential-provider-node', 'node_modules', name))).toBe(false);
    }
  });

  test('the Lambda bundles depend on no Powertools batch processor (the handlers report batch failures themselves)', () => {
    expect(Object.keys(pkg.dependencies)).not.toContain('@aws-lambda-powertools/batch');
  });
});
