// Who takes part in durable waiting (LANGUAGE.md §9), from the IR: the services whose instances
// may wait for a signal, and the services that send signals. The emitter tells a sender's
// runtime where to look for an instance; the template grants exactly that.
import type { IrProgram, IrService } from "./ir.js";

/** The services with a fn that may suspend (sleep or wait): the only ones a signal can wake. */
export function suspendingServices(ir: IrProgram): string[] {
  return ir.services.filter((s) => s.fns.some((f) => f.effects.suspends)).map((s) => s.name);
}

/** Whether any fn of the service has a `signal(...)`. */
export function sendsSignals(service: IrService): boolean {
  const todo: unknown[] = [service.fns.map((f) => f.body)];
  while (todo.length) {
    const node = todo.pop();
    if (Array.isArray(node)) todo.push(...node);
    else if (node && typeof node === "object") {
      if ((node as { kind?: unknown }).kind === "signal") return true;
      for (const [field, v] of Object.entries(node)) if (field !== "span" && field !== "type") todo.push(v);
    }
  }
  return false;
}
