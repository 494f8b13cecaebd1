// Two runs of one invocation differ in what now(), uuid() and random() returned (a uuid key, a
// timestamp field), and only there if exactly-once holds. Those values are logged under steps
// that every run derives the same way (instance ids from the entry id, steps from static sites),
// so a run's values can be put back to the reference run's by step before comparing the two.
import type { IrFn, IrProgram, IrService, IrSite } from "../compiler/ir.js";
import { tableNames } from "../contract/schema.js";
import type { Json } from "../contract/json.js";
import { toAttr } from "../runtime/codec.js";
import { LogReader } from "../runtime/log.js";
import type { LocalStack } from "./stack.js";

const CHOICES = new Set(["now", "uuid", "random"]);

/** `<instance>#<step>` -> the value a now()/uuid()/random() there returned, from every service's log. */
export type Choices = Map<string, Json>;

/** The fn an instance runs, from its id (entry, or derived from its caller's site); undefined when hashed. */
function fnOf(ir: IrProgram, service: string, instance: string, entry: { service: string; fn: string }): IrFn | undefined {
  const svc = ir.services.find((s) => s.name === service);
  if (!svc) return undefined;
  const sep = Math.max(instance.lastIndexOf("/"), instance.lastIndexOf("!"));
  if (sep < 0) return service === entry.service ? svc.fns.find((f) => f.name === entry.fn) : undefined;
  // `parent/caller:step` or `parent!caller:step'`, read from the right (docs/ids.md)
  const colon = instance.lastIndexOf(":");
  const head = instance.slice(0, colon);
  const at = Math.max(head.lastIndexOf("/"), head.lastIndexOf("!"));
  if (colon < sep || at < 0) return undefined; // a hashed id
  const callerService = head.slice(at + 1);
  const callerFn = fnOf(ir, callerService, head.slice(0, at), entry);
  const caller = ir.services.find((s) => s.name === callerService);
  if (!callerFn || !caller) return undefined;
  const site = siteAt(caller, callerFn, instance.slice(colon + 1).replaceAll("|", "/"));
  const target = site?.target?.split(".");
  return target && target[0] === service ? svc.fns.find((f) => f.name === target[1]) : undefined;
}

/** The site a step ends at, following inline calls along its path (`s2/s4`: site s4 of the fn inlined at s2). */
function siteAt(service: IrService, fn: IrFn, step: string): IrSite | undefined {
  const parts = step.split("/");
  let current: IrFn | undefined = fn;
  for (const part of parts.slice(0, -1)) {
    const site: IrSite | undefined = current?.sites.find((s) => s.id === part.split(".")[0]);
    if (site?.op === "inline") current = service.fns.find((f) => f.name === site.target);
  }
  return current?.sites.find((s) => s.id === parts.at(-1));
}

/** Every now()/uuid()/random() value the stack's logs hold, by instance and step. */
export async function loggedChoices(stack: LocalStack, entry: { service: string; fn: string }): Promise<Choices> {
  const ir = stack.app.ir;
  const out: Choices = new Map();
  for (const service of ir.services) {
    const reader = new LogReader();
    for (const item of await stack.rawItems(tableNames.log(stack.prefix, ir.app, service.name))) {
      reader.add(Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toAttr(v)])));
    }
    for (const [instance, steps] of reader.steps()) {
      const fn = fnOf(ir, service.name, instance, entry);
      for (const [step, value] of steps) {
        // A hashed instance id names no fn: then a site every fn of the service uses for a choice.
        const ops = fn ? [siteAt(service, fn, step)?.op] : service.fns.map((f) => siteAt(service, f, step)?.op).filter(Boolean);
        if (ops.length && ops.every((op) => op !== undefined && CHOICES.has(op))) out.set(`${instance}#${step}`, value);
      }
    }
  }
  return out;
}

/**
 * A function that rewrites a run's values into the reference run's: each value a choice
 * returned in `run` becomes what the same step returned in `reference`, whole or inside text
 * (an id made of a timestamp and a uuid), in values and in map and row keys.
 */
export function aligner(run: Choices, reference: Choices): <T>(value: T) => T {
  const exact = new Map<string | number, string | number>();
  const within: [string, string][] = [];
  for (const [step, got] of run) {
    const want = reference.get(step);
    if (want === undefined || got === want) continue;
    if ((typeof got === "string" || typeof got === "number") && (typeof want === "string" || typeof want === "number")) {
      exact.set(got, want);
      if (String(got).length >= 6) within.push([String(got), String(want)]); // short ones would match by chance
    }
  }
  if (!exact.size) return (v) => v;
  const text = (s: string): string => {
    const whole = exact.get(s);
    if (typeof whole === "string") return whole;
    let out = s;
    for (const [from, to] of within) out = out.split(from).join(to);
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === "number") return exact.get(v) ?? v;
    if (typeof v === "string") return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        Object.defineProperty(out, text(k), { value: walk(x), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  };
  return <T>(value: T) => walk(value) as T;
}
