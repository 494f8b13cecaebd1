// Invocation trees on the local stack: counting each tree's store and invoke requests in the
// order they are issued, and killing the tree right after its k-th request (`crashAt`).
import { randomUUID } from "node:crypto";

interface Trace {
  crashAt?: number;
  pauseAt?: number;
  issued: number;
  dead: boolean;
  /** told each request's number and name as it is issued (crash sweeps name their crash points) */
  onRequest?: (n: number, name: string) => void;
  onKill: (() => void)[];
}

export class Traces {
  private readonly traces = new Map<string, Trace>();

  begin(crashAt?: number, pauseAt?: number, onRequest?: (n: number, name: string) => void): string {
    const id = randomUUID();
    this.traces.set(id, { crashAt, pauseAt, issued: 0, dead: false, onKill: [], onRequest });
    return id;
  }

  end(id: string): void {
    this.traces.delete(id);
  }

  /** Whether the tree is still being watched (begun, not ended) and not killed. */
  isLive(id: string): boolean {
    const t = this.traces.get(id);
    return !!t && !t.dead;
  }

  isDead(id: string | undefined): boolean {
    return !!id && this.traces.get(id)?.dead === true;
  }

  /** Numbers a request of the tree as it is issued (undefined for untraced requests); `name` only if someone listens. */
  issue(id: string | undefined, name?: () => string): number | undefined {
    const t = id ? this.traces.get(id) : undefined;
    if (!t) return undefined;
    const n = ++t.issued;
    if (t.onRequest) t.onRequest(n, name?.() ?? "request");
    return n;
  }

  /** Whether the request numbered `n` is the one after which the tree dies. */
  isCrashPoint(id: string | undefined, n: number | undefined): boolean {
    const t = id ? this.traces.get(id) : undefined;
    return !!t && n !== undefined && t.crashAt === n;
  }

  /** Whether the store request numbered `n` is the one to hold back (InvokeOptions.pauseAt). */
  isPausePoint(id: string | undefined, n: number | undefined): boolean {
    const t = id ? this.traces.get(id) : undefined;
    return !!t && n !== undefined && t.pauseAt === n;
  }

  kill(id: string): void {
    const t = this.traces.get(id);
    if (!t || t.dead) return;
    t.dead = true;
    for (const f of t.onKill.splice(0)) f();
  }

  /** Resolves when the tree is killed. */
  killed(id: string): Promise<void> {
    const t = this.traces.get(id);
    if (!t) return new Promise(() => {});
    if (t.dead) return Promise.resolve();
    return new Promise((resolve) => t.onKill.push(resolve));
  }

  onKill(id: string, f: () => void): void {
    const t = this.traces.get(id);
    if (t && !t.dead) t.onKill.push(f);
  }
}

/** Counts of requests by kind (`GetItem`, `UpdateItem`, ..., `Invoke`, `InvokeEvent`). */
export class RequestCounts {
  private readonly counts: Record<string, number> = {};
  add(kind: string): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }
  snapshot(): Record<string, number> {
    return { ...this.counts };
  }
}
