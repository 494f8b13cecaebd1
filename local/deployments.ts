// The app versions a local stack serves, as Lambda keeps published versions: the current one
// (new instances, unqualified invocations) and earlier ones kept while instances pinned to them
// are unfinished — their re-executions, callees and spawns invoke the alias `v<version>`.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { IrProgram } from "../compiler/ir.js";
import { versionAlias } from "../contract/schema.js";
import type { BuiltApp } from "./build-cache.js";
import type { Executor } from "./executor.js";

export interface Deployment {
  /** the app version (IrProgram.codeVersion) */
  version: string;
  app: BuiltApp;
  executor: Executor;
}

/** A build folder (`beldi build --out`, or a kept version) as a BuiltApp. */
export function builtFrom(dir: string): BuiltApp {
  const ir = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as IrProgram;
  const bundles = Object.fromEntries(ir.services.map((s) => [s.name, path.join(dir, s.name, "index.mjs")]));
  return { ir, bundles, dir };
}

/** Qualifiers that name the current version: none, Lambda's `$LATEST`, and the `live` alias the template makes. */
const CURRENT = new Set([undefined, "", "$LATEST", "live"]);

export class Deployments {
  /** oldest first; the last is current */
  private readonly list: Deployment[] = [];

  get current(): Deployment {
    const d = this.list.at(-1);
    if (!d) throw new Error("internal: a stack with no deployed version");
    return d;
  }

  all(): readonly Deployment[] {
    return this.list;
  }

  get(version: string): Deployment | undefined {
    return this.list.find((d) => d.version === version);
  }

  /** Makes `d` the current version (a version deployed again moves to the front). */
  add(d: Deployment): void {
    const i = this.list.findIndex((x) => x.version === d.version);
    if (i >= 0) this.list.splice(i, 1);
    this.list.push(d);
  }

  remove(version: string): Deployment | undefined {
    const i = this.list.findIndex((x) => x.version === version);
    return i >= 0 ? this.list.splice(i, 1)[0] : undefined;
  }

  /** The version an invocation of `service` with this qualifier runs on, if that version has the service. */
  resolve(service: string, qualifier: string | undefined): Deployment | undefined {
    const d = CURRENT.has(qualifier) ? this.list.at(-1) : this.list.find((x) => versionAlias(x.version) === qualifier);
    return d && hasService(d, service) ? d : undefined;
  }

  /** Every service any kept version has. */
  services(): string[] {
    return [...new Set(this.list.flatMap((d) => d.app.ir.services.map((s) => s.name)))];
  }

  /** The newest version that has `service` (maintenance passes run there). */
  newestWith(service: string): Deployment | undefined {
    return [...this.list].reverse().find((d) => hasService(d, service));
  }
}

const hasService = (d: Deployment, service: string) => d.app.ir.services.some((s) => s.name === service);
