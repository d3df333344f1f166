/**
 * Builds a function's bundle the way `cdk synth` does, so the size measured is the size deployed.
 *
 * The settings come from infra/lib/bundling.ts (imported, never copied: the lead tunes them there)
 * plus the flags CDK's NodejsFunction adds itself (aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js,
 * `buildEsbuildArgs`): `--bundle --platform=node --minify --sourcemap --sources-content=false`,
 * the output `index.js`, and no `--format` (esbuild's default for platform node is cjs, which we
 * name explicitly). `--sourcemap` without a mode is esbuild's "linked": a separate `.map` file and
 * a `sourceMappingURL` comment, which NODE_OPTIONS=--enable-source-maps follows at load when
 * infra/lib/bundling.ts turns it on.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import type { MicroMomentsConfig } from '../shared/config';
import { BUNDLE_CHOICES, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET, bundleAliases, bundleDefines, bundleExternals, type BundleChoices } from '../infra/lib/bundling';

export const PROJECT_ROOT = resolve(__dirname, '..');

/** The folders under functions/ that are deployed as Lambda entry points (functions/<name>/index.ts). */
export const FUNCTION_ENTRIES = ['enrich', 'score', 'notify', 'privacy'] as const;
export type FunctionEntry = (typeof FUNCTION_ENTRIES)[number];

/** The esbuild options of one function's bundle, as CDK's NodejsFunction passes them. */
export function bundleBuildOptions(entry: FunctionEntry, outDir: string, config: MicroMomentsConfig, choices: BundleChoices = BUNDLE_CHOICES): BuildOptions {
  return {
    entryPoints: [join(PROJECT_ROOT, 'functions', entry, 'index.ts')],
    // CDK runs esbuild from the project root, so tsconfig.json and node_modules resolve the same.
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: BUNDLE_TARGET,
    outfile: join(outDir, 'index.js'),
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: bundleExternals(choices),
    alias: bundleAliases(choices),
    mainFields: [...BUNDLE_MAIN_FIELDS],
    define: bundleDefines(config, choices),
    metafile: true,
    logLevel: 'silent',
  };
}

export interface InputShare {
  /** Path relative to the project root, as esbuild's metafile names it. */
  path: string;
  bytes: number;
}

export interface BuiltBundle {
  entry: FunctionEntry;
  /** The minified index.js (what Lambda loads), without the .map. */
  file: string;
  bytes: number;
  mapBytes: number;
  /** The inputs that take the most bytes of index.js, largest first. */
  topInputs: InputShare[];
  /** The same by package (node_modules/<pkg>) or by project folder, largest first. */
  topPackages: InputShare[];
  warnings: string[];
}

/** The output entry of the metafile for `outfile` (its keys are relative to the working dir). */
function outputOf(metafile: Metafile, outfile: string): Metafile['outputs'][string] {
  const key = Object.keys(metafile.outputs).find((k) => resolve(PROJECT_ROOT, k) === resolve(outfile));
  if (!key) throw new Error(`esbuild metafile has no output ${outfile} (outputs: ${Object.keys(metafile.outputs).join(', ')})`);
  return metafile.outputs[key];
}

/** The `n` inputs contributing the most bytes to `outfile`, largest first. */
export function topInputs(metafile: Metafile, outfile: string, n = 5): InputShare[] {
  return Object.entries(outputOf(metafile, outfile).inputs)
    .map(([path, v]) => ({ path, bytes: v.bytesInOutput }))
    .filter((x) => x.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
    .slice(0, n);
}

/**
 * Which package (or project folder) an input belongs to: `node_modules/@scope/name/...` →
 * `@scope/name`, `node_modules/name/...` → `name` (the innermost node_modules wins, so a nested
 * copy counts under its own name), a project file → its top folder and the next (`shared/store`).
 */
export function packageOf(inputPath: string): string {
  const parts = inputPath.split('/');
  const nm = parts.lastIndexOf('node_modules');
  if (nm >= 0 && nm + 1 < parts.length) {
    const first = parts[nm + 1];
    return first.startsWith('@') && nm + 2 < parts.length ? `${first}/${parts[nm + 2]}` : first;
  }
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** Bytes in `outfile` grouped by packageOf, largest first. */
export function topPackages(metafile: Metafile, outfile: string, n = 5): InputShare[] {
  const totals = new Map<string, number>();
  for (const [path, v] of Object.entries(outputOf(metafile, outfile).inputs)) {
    const pkg = packageOf(path);
    totals.set(pkg, (totals.get(pkg) ?? 0) + v.bytesInOutput);
  }
  return [...totals.entries()]
    .map(([path, bytes]) => ({ path, bytes }))
    .filter((x) => x.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
    .slice(0, n);
}

/** Builds `functions/<entry>/index.ts` into `<outDir>/index.js` (+ .map) and measures it. */
export async function buildFunctionBundle(entry: FunctionEntry, outDir: string, config: MicroMomentsConfig, choices: BundleChoices = BUNDLE_CHOICES): Promise<BuiltBundle> {
  mkdirSync(outDir, { recursive: true });
  const options = bundleBuildOptions(entry, outDir, config, choices);
  const result = await build(options);
  const file = options.outfile as string;
  const metafile = result.metafile as Metafile;
  return {
    entry,
    file,
    bytes: statSync(file).size,
    mapBytes: statSync(`${file}.map`).size,
    topInputs: topInputs(metafile, file),
    topPackages: topPackages(metafile, file),
    warnings: result.warnings.map((w) => w.text),
  };
}
