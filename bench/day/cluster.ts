import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@mosaic/db';

/**
 * Two `--role api` processes and one `--role worker` on one PostgreSQL, as a
 * deployment behind a load balancer runs them (docs/deploy.md). An API slot keeps
 * its port across a SIGKILL and restart, so clients that spread over the ports
 * find it again once it is back.
 */
const root = path.resolve(import.meta.dirname, '../..');
export const ADMIN = { email: 'boss@day.bench', password: 'Day-Bench-Password-2026' };

export interface Slot {
  role: 'api' | 'worker';
  port: number;
  base: string;
  child: ChildProcess | null;
  up: boolean;
  restarts: number;
  /** Exits nobody asked for (a crash): the supervisor (systemd in docs/deploy.md) starts it again. */
  crashes: number;
  /** Starts that failed (the process exited before it was ready). */
  failedStarts: number;
  killing: boolean;
  output: string;
}

export class Cluster {
  readonly apis: Slot[] = [];
  worker!: Slot;
  readonly events: string[] = [];
  private stopping = false;
  constructor(private readonly url: string, private readonly env: Record<string, string> = {}, private readonly log: (line: string) => void = () => {}) {}

  async start(): Promise<void> {
    // The first process creates the tenant and installs every module; the others then start in parallel.
    this.apis.push(await this.launch(await this.newSlot('api')));
    const [b, w] = await Promise.all([this.newSlot('api').then((s) => this.launch(s)), this.newSlot('worker').then((s) => this.launch(s))]);
    this.apis.push(b);
    this.worker = w;
  }

  /** SIGKILL, as a crash or an OOM kill would: no clean shutdown, open requests cut. Then start it again on its port. */
  async killAndRestart(slot: Slot): Promise<number> {
    const t = performance.now();
    const child = slot.child!;
    slot.up = false;
    slot.killing = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    // A start can fail under load (the 10-minute run saw the start-up module install die of a
    // deadlock with live traffic): log it and start again, as a supervisor would.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.launch(slot);
        break;
      } catch (e) {
        this.log(`restart ${attempt} of ${slot.role}:${slot.port} failed: ${String(e).slice(0, 500)}`);
        slot.failedStarts++;
        if (attempt >= 5) throw e;
      }
    }
    slot.killing = false;
    slot.restarts++;
    return performance.now() - t;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.apis, this.worker].filter(Boolean).map(async (s) => {
      if (!s.child || s.child.exitCode !== null) return;
      const exited = new Promise((r) => s.child!.once('exit', r));
      s.child.kill('SIGTERM');
      const timer = setTimeout(() => s.child?.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }));
  }

  pids(): number[] {
    return [...this.apis, this.worker].map((s) => s.child?.pid ?? 0).filter(Boolean);
  }

  private async newSlot(role: 'api' | 'worker'): Promise<Slot> {
    const port = await freePort();
    return { role, port, base: `http://127.0.0.1:${port}`, child: null, up: false, restarts: 0, crashes: 0, failedStarts: 0, killing: false, output: '' };
  }

  private async launch(slot: Slot): Promise<Slot> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts'), 'start', '--role', slot.role], {
      cwd: root,
      env: {
        ...process.env, DATABASE_URL: this.url, PORT: String(slot.port), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
        MOSAIC_ADMIN_EMAIL: ADMIN.email, MOSAIC_ADMIN_PASSWORD: ADMIN.password, ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    slot.child = child;
    slot.output = '';
    const keep = (d: Buffer) => (slot.output = (slot.output + d).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', (code, signal) => {
      if (this.stopping || slot.killing || slot.child !== child) return;
      slot.up = false;
      slot.crashes++;
      this.log(`${slot.role}:${slot.port} exited by itself (code ${code}, ${signal ?? 'no signal'}); restarting it. Last output: ${slot.output.slice(-1500)}`);
      slot.killing = true;
      this.launch(slot).then(() => (slot.killing = false), (e) => this.log(`restart of ${slot.role}:${slot.port} failed: ${e}`));
    });
    const ready = slot.role === 'api' ? 'running on' : 'worker is running';
    for (let i = 0; !slot.output.includes(ready); i++) {
      if (child.exitCode !== null) throw new Error(`${slot.role} on ${slot.port} exited: ${slot.output}`);
      if (i > 3000) throw new Error(`${slot.role} on ${slot.port} did not start within 5 minutes: ${slot.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    slot.up = true;
    return slot;
  }
}
