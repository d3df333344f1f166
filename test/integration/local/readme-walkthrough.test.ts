/**
 * The README's walkthrough, run as written: its command blocks are read from README.md (so the
 * README cannot drift from what works), the first one (`npm start -- …`) in a process group of
 * its own, the others with bash and the real `aws` CLI (v1 or v2: .ci/run installs Debian's
 * awscli), on free ports instead of the README's fixed ones.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killGroup, ROOT, startNpmStart, type StartedRun } from '../../fixtures/npm-start';

const SECTION = '### Walk through it with the AWS CLI';
const README_PORTS = ['4567', '8000', '8080'];

function walkthroughBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(SECTION);
  if (start < 0) throw new Error(`README.md has no "${SECTION}" section`);
  const rest = readme.slice(start + SECTION.length);
  const end = rest.search(/\n#{2,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function awsVersion(): string {
  try {
    return execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    throw new Error('No `aws` CLI on the PATH: install Debian\'s package (apt-get install awscli), as .ci/run does, or AWS CLI v1/v2 by other means');
  }
}

let run: StartedRun | undefined;
afterEach(() => {
  if (run) killGroup(run);
  run = undefined;
  rmSync(join(ROOT, 'signal.json'), { force: true });
});

test('the README walkthrough runs as written against local mode, and the run reports the signal it sent', async () => {
  const blocks = walkthroughBlocks();
  expect(blocks.length).toBeGreaterThanOrEqual(3);
  expect(awsVersion()).toMatch(/^aws-cli\/[12]\./);

  const ports = await Promise.all(README_PORTS.map(() => freePort()));
  const onFreePorts = (text: string) => README_PORTS.reduce((t, p, i) => t.replace(new RegExp(`\\b${p}\\b`, 'g'), String(ports[i])), text);
  const [first, ...others] = blocks.map(onFreePorts);
  const startLine = first.trim();
  expect(startLine).toMatch(/^npm start -- /);
  expect(startLine).toContain('--keep-running');

  run = startNpmStart(startLine.replace(/^npm start -- /, '').split(/\s+/));
  await run.waitFor(new RegExp(`live console +http://127\\.0\\.0\\.1:${ports[2]}/`));

  // The second terminal: every other block, in order, as one bash session.
  const script = ['set -euo pipefail', ...others].join('\n');
  const { stdout } = await promisify(execFile)('bash', ['-c', script], { cwd: ROOT, timeout: 120_000, env: { ...process.env, AWS_PAGER: '' } });
  expect(stdout).toContain('micro-moments-local-signals'); // list-streams
  expect(stdout).toMatch(/"SequenceNumber"/); // put-record
  expect(stdout).toMatch(/"Items"/); // scan
  // The access request finds the customer's profile (the signal was enriched, with consent).
  const access = JSON.parse(stdout.slice(stdout.lastIndexOf('\n{\n') + 1)) as { customerKey: string; profile: unknown };
  expect(access.customerKey).toMatch(/^[0-9a-f]{64}$/);
  expect(access.profile).not.toBeNull();
  // The user id appears only where npm echoes the command line typed.
  expect(stdout.split('\n').filter((l) => l.includes('customer-1234') && !l.startsWith('> '))).toEqual([]);

  await run.waitFor(/--keep-running: the emulators/);
  run.interrupt();
  expect([0, 130]).toContain(await run.exited);
  const report = run.report();
  expect(report.counts.putByOthers).toBe(1);
  expect(report.counts.addsUp).toBe(true);
}, 240_000);
