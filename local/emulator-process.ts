/**
 * An emulator (dynalite or kinesalite) in a child Node.js process of its own, so that local mode
 * uses a second core: in one process the emulators' request handling (LevelDB in memory, big-number
 * arithmetic) competes with the handlers for the same core, and that, not the handlers, is what
 * bounds local throughput.
 *
 * The child is a few lines of plain JavaScript run by the same node binary. It prints its port on
 * its first line of stdout and exits when its stdin closes, so it cannot outlive the parent, even
 * one killed with SIGKILL. It ignores SIGINT: a terminal's Ctrl-C goes to the whole process group,
 * and the emulators must outlive it until the parent has drained the pipeline and stops them
 * (stdin closed, then SIGTERM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type EmulatorKind = 'dynalite' | 'kinesalite';

const OPTIONS: Record<EmulatorKind, object> = {
  dynalite: { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
  kinesalite: { createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 },
};

const CHILD_SOURCE = `
const [modulePath, options, port] = process.argv.slice(1);
const server = require(modulePath)(JSON.parse(options));
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('PORT ' + server.address().port + '\\n'));
server.on('error', (err) => { process.stderr.write(String(err && err.message) + '\\n'); process.exit(1); });
process.on('SIGINT', () => {});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export interface EmulatorProcess {
  port: number;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(kind: EmulatorKind, port = 0): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD_SOURCE, require.resolve(kind), JSON.stringify(OPTIONS[kind]), String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const m = /^PORT (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`${kind} child process: unexpected output ${JSON.stringify(line)}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} child process exited with ${code} before listening: ${stderr.trim()}`)));
  });
  let stopped = false;
  return {
    port: listening,
    async stop() {
      if (stopped) return;
      stopped = true;
      child.stdin?.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
