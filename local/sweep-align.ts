// Two runs of one invocation differ in what now(), uuid() and random() returned (a uuid key, a
// timestamp field), and only there if exactly-once holds. Those values are logged under steps
// that every run derives the same way (instance ids from the entry id, steps from static sites),
// so a run's values can be put back to the reference run's by step before comparing the two.
// The rewrite goes by value: two steps of a run that drew the same value (two now() in one
// millisecond) where the reference drew two cannot both be put back, and show as a difference.
import type { IrFn, IrProgram, IrService, IrSite } from "../compiler/ir.js";
import { tableNames } from "../contract/schema.js";
import type { Json } from "../contract/json.js";
import { toAttr } from "../runtime/codec.js";
import { firstLogItem, LogReader } from "../runtime/log.js";
import { derivationOf } from "./inspect/step-ids.js";
import type { LocalStack } from "./stack.js";

const CHOICES = new Set(["now", "uuid", "random"]);

/** `<instance>#<step>` -> the value a now()/uuid()/random() there returned, from every service's log. */
export type Choices = Map<string, Json>;

/** The fn an instance runs, from its id (entry, or derived from its caller's site); undefined when hashed. */
function fnOf(ir: IrProgram, service: string, instance: string, entry: { service: string; fn: string }): IrFn | undefined {
  const svc = ir.services.find((s) => s.name === service);
  if (!svc) return undefined;
  // `parent/caller:step` or `parent!caller:step'`, read from the right (docs/ids.md): a step may
  // hold `/` itself (a parallel branch's `s1.b0/s2`)
  const d = derivationOf(instance);
  if (d.kind === "client") return service === entry.service ? svc.fns.find((f) => f.name === entry.fn) : undefined;
  if (d.kind === "hashed") return undefined;
  const callerFn = fnOf(ir, d.service, d.parent, entry);
  const caller = ir.services.find((s) => s.name === d.service);
  if (!callerFn || !caller) return undefined;
  const site = siteAt(caller, callerFn, d.step);
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

/**
 * Whether a fn draws a now()/uuid()/random() anywhere it runs (its sites, inline fns, callees).
 * A read-only callee logs nothing: its caller logs its result, made of what it drew.
 */
function drawsChoices(ir: IrProgram, target: string, seen = new Set<string>()): boolean {
  if (seen.has(target)) return false;
  seen.add(target);
  const [service, name] = target.split(".") as [string, string];
  const svc = ir.services.find((s) => s.name === service);
  const fn = svc?.fns.find((f) => f.name === name);
  if (!svc || !fn) return false;
  return fn.sites.some(
    (s) =>
      CHOICES.has(s.op) ||
      (s.op === "inline" && s.target !== undefined && drawsChoices(ir, `${service}.${s.target}`, seen)) ||
      (s.op === "call" && s.target !== undefined && drawsChoices(ir, s.target, seen)),
  );
}

/** Whether the value a step logged is a choice: a now()/uuid()/random(), or the result of a read-only callee that drew one. */
function isChoice(ir: IrProgram, site: IrSite | undefined): boolean {
  if (!site) return false;
  if (CHOICES.has(site.op)) return true;
  if (site.op !== "call" || !site.target) return false;
  const [service, name] = site.target.split(".");
  const callee = ir.services.find((s) => s.name === service)?.fns.find((f) => f.name === name);
  return !!callee?.readOnly && drawsChoices(ir, site.target);
}

/** A logged call result (`{ ok: true, value }`) as the value the caller got; any other logged value as it is. */
function resultValue(logged: Json): Json {
  if (logged && typeof logged === "object" && !Array.isArray(logged) && logged.ok === true && "value" in logged)
    return logged.value ?? null;
  return logged;
}

/** Every now()/uuid()/random() value the stack's logs hold (and read-only callees' results made of them), by instance and step. */
export async function loggedChoices(stack: LocalStack, entry: { service: string; fn: string }): Promise<Choices> {
  const ir = stack.app.ir;
  const out: Choices = new Map();
  for (const service of ir.services) {
    const reader = new LogReader();
    const attrs = (item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toAttr(v)]));
    for (const item of await stack.rawItems(tableNames.log(stack.prefix, ir.app, service.name))) reader.add(attrs(item));
    // an entry instance's first batch is held by its intent
    for (const item of await stack.rawItems(tableNames.intent(stack.prefix, ir.app, service.name))) {
      const first = firstLogItem(attrs(item));
      if (first) reader.add(first);
    }
    for (const [instance, steps] of reader.steps()) {
      const fn = fnOf(ir, service.name, instance, entry);
      for (const [step, value] of steps) {
        // A hashed instance id names no fn: then a site every fn of the service uses for a choice.
        const sites = fn ? [siteAt(service, fn, step)] : service.fns.map((f) => siteAt(service, f, step)).filter(Boolean);
        if (sites.length && sites.every((s) => isChoice(ir, s))) out.set(`${instance}#${step}`, resultValue(value));
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
