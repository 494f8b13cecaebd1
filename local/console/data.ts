// The console's questions, answered from the dev session's stack: the app's shape, instances and
// an instance's tree (the inspector, local/inspect/), tables and their rows, an invocation.
// Plain JSON in and out; a bad request is an ApiError with its HTTP status.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { IrProgram } from "../../compiler/ir.js";
import type { Json } from "../../contract/json.js";
import { resolveType, type TypeDesc } from "../../contract/types.js";
import { inspectInstance, listInstances, type Inspector } from "../inspect/inspect.js";
import type { InspectReport, InstanceSummary } from "../inspect/model.js";
import { Sites } from "../inspect/sites.js";
import { StoreReader } from "../inspect/store-reader.js";
import type { InvokeResult, LocalStack, TableRow, VersionInUse } from "../stack.js";
import { checkRow, resolveTable, showType, TableValueError, typeTable, UnknownTableError } from "../table-ref.js";
import type { ConsoleBackend, ServedProgram } from "./backend.js";

/** A request the console cannot answer: its HTTP status and why. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ParamView {
  name: string;
  /** as the program writes it */
  type: string;
  /** text: a string parameter, typed as is; json: any other type, written as JSON */
  input: "text" | "json";
  optional: boolean;
}

export interface FnView {
  name: string;
  params: ParamView[];
  result: string;
  readOnly: boolean;
  calls: string[];
  spawns: string[];
  /** where it is declared */
  file: string;
  line: number;
}

export interface TableView {
  service: string;
  table: string;
  /** the record type, expanded when it is named (`Counter = { n: number }`) */
  type: string;
  fields: string[];
}

export interface AppView {
  app: string;
  version: string;
  services: { name: string; fns: FnView[]; tables: TableView[] }[];
}

const RETRIED_BY = "beldi dev re-executes it within seconds (it finishes instances whose lease is over)";
const WOKEN_BY = "beldi dev resumes it within seconds";

export class ConsoleData {
  private client?: { stack: LocalStack; client: DynamoDBClient };

  constructor(private readonly backend: ConsoleBackend) {}

  private stack(): LocalStack {
    const s = this.backend.stack();
    if (!s) throw new ApiError(503, "no version of the app is deployed yet: fix the errors the check reports and save");
    return s;
  }

  /** One store client per stack (through its store front), made on first use. */
  private storeClient(stack: LocalStack): DynamoDBClient {
    if (this.client?.stack !== stack) {
      this.client?.client.destroy();
      const c = stack.runtimeConfig;
      this.client = {
        stack,
        client: new DynamoDBClient({ endpoint: c.storeEndpoint, region: c.region, credentials: c.credentials }),
      };
    }
    return this.client.client;
  }

  /** The program a version's instances are named by: the one the session deployed, else the current one. */
  private programOf(stack: LocalStack, version?: string): ServedProgram {
    const current = stack.app.ir;
    return (version && this.backend.program(version)) || this.backend.program(current.codeVersion) || { ir: current, sources: new Map() };
  }

  /** An inspector for one question (its reader caches what it read), judged by the clock now. */
  private inspector(stack: LocalStack, program: ServedProgram): Inspector {
    return {
      reader: new StoreReader(this.storeClient(stack), program.ir, stack.prefix),
      sites: new Sites(program.ir, program.sources),
      clock: { now: Date.now(), windowMs: stack.runtimeConfig.windowMs, retriedBy: RETRIED_BY, wokenBy: WOKEN_BY },
    };
  }

  app(): AppView {
    const ir = this.stack().app.ir;
    return appView(ir);
  }

  /** The versions the stack serves, each with the unfinished instances pinned to it. */
  async versions(): Promise<VersionInUse[]> {
    return this.stack().versions();
  }

  async instances(): Promise<InstanceSummary[]> {
    const stack = this.stack();
    return listInstances(this.inspector(stack, this.programOf(stack)));
  }

  /** An instance's tree; its steps named by the program of the version it ran on, where the session has it. */
  async instance(id: string): Promise<InspectReport> {
    const stack = this.stack();
    const report = await inspectInstance(this.inspector(stack, this.programOf(stack)), id);
    const version = report.trees[0]?.version;
    if (version && version !== stack.app.ir.codeVersion && this.backend.program(version))
      return inspectInstance(this.inspector(stack, this.programOf(stack, version)), id);
    return report;
  }

  tables(): TableView[] {
    return this.app().services.flatMap((s) => s.tables);
  }

  async rows(ref: string): Promise<TableRow[]> {
    const stack = this.stack();
    const t = this.table(stack.app.ir, ref);
    return stack.scan(t.service, t.table);
  }

  /** Sets a row as `beldi put` does: checked against the table's record type first. */
  async putRow(ref: string, key: unknown, value: unknown): Promise<void> {
    const stack = this.stack();
    const ir = stack.app.ir;
    const t = this.table(ir, ref);
    if (typeof key !== "string") throw new ApiError(400, "a key is a string");
    try {
      await stack.put(t.service, t.table, key, checkRow(ir, t, key, value));
    } catch (e) {
      if (e instanceof TableValueError) throw new ApiError(400, e.message);
      throw e;
    }
  }

  /** Invokes `service.fn` as a client does, through the Lambda Invoke API, and waits for its answer. */
  async invoke(body: unknown): Promise<{ instanceId: string; ms: number; result: InvokeResult }> {
    const stack = this.stack();
    const b = (body ?? {}) as { fn?: unknown; input?: unknown; instanceId?: unknown };
    if (typeof b.fn !== "string") throw new ApiError(400, "name the fn as service.fn");
    const [service, fn] = b.fn.split(".");
    const s = stack.app.ir.services.find((x) => x.name === service);
    if (!s?.fns.some((f) => f.name === fn)) throw new ApiError(404, `app ${stack.app.ir.app} has no fn ${b.fn}`);
    if (typeof b.input !== "object" || b.input === null || Array.isArray(b.input))
      throw new ApiError(400, "the input is an object of the fn's parameters by name");
    if (b.instanceId !== undefined && (typeof b.instanceId !== "string" || b.instanceId.trim() === ""))
      throw new ApiError(400, "an instance id is a non-empty string (leave it out for a fresh one)");
    const instanceId = (b.instanceId as string | undefined)?.trim() ?? randomUUID();
    const started = performance.now();
    const result = await stack.invoke(b.fn, b.input, { instanceId });
    return { instanceId, ms: Math.round(performance.now() - started), result };
  }

  /**
   * Delivers a signal to an instance as a client does (LANGUAGE.md §9) and waits until the
   * execution it woke has suspended again or finished. The answer is the stack's: `{ ok, value }`
   * (true: delivered; false: it already had one of that name), or a typed error (R0024 no such
   * instance, R0025 a bad name or value).
   */
  async signal(body: unknown): Promise<{ instanceId: string; name: string; ms: number; result: InvokeResult }> {
    const stack = this.stack();
    const b = (body ?? {}) as { instanceId?: unknown; name?: unknown; value?: unknown };
    if (typeof b.instanceId !== "string" || b.instanceId.trim() === "") throw new ApiError(400, "name the instance (its id)");
    if (typeof b.name !== "string" || b.name === "") throw new ApiError(400, "name the signal");
    if (b.value === undefined) throw new ApiError(400, "give the signal's value (JSON)");
    const instanceId = b.instanceId.trim();
    const started = performance.now();
    const result = await stack.sendSignal(instanceId, b.name, b.value as Json);
    return { instanceId, name: b.name, ms: Math.round(performance.now() - started), result };
  }

  private table(ir: IrProgram, ref: string) {
    try {
      return resolveTable(ir, ref);
    } catch (e) {
      if (e instanceof UnknownTableError) throw new ApiError(404, e.message);
      throw e;
    }
  }

  close(): void {
    this.client?.client.destroy();
    this.client = undefined;
  }
}

/** The app's services, fns (with how the form takes each parameter) and tables. */
export function appView(ir: IrProgram): AppView {
  const types = typeTable(ir);
  const param = (name: string, t: TypeDesc): ParamView => {
    const optional = t.kind === "optional";
    const inner = resolveType(t.kind === "optional" ? t.inner : t, types);
    return { name, type: showType(t), input: inner.kind === "string" ? "text" : "json", optional };
  };
  return {
    app: ir.app,
    version: ir.codeVersion,
    services: ir.services.map((s) => ({
      name: s.name,
      fns: s.fns.map((f) => ({
        name: f.name,
        params: f.params.map((p) => param(p.name, p.type)),
        result: showType(f.result),
        readOnly: f.readOnly,
        calls: f.effects.calls,
        spawns: f.effects.spawns,
        file: f.span.file,
        line: f.span.line,
      })),
      tables: s.tables.map((t) => {
        const named = t.valueType.kind === "named" ? types[t.valueType.name] : undefined;
        return {
          service: s.name,
          table: t.name,
          type: named ? `${showType(t.valueType)} = ${showType(named)}` : showType(t.valueType),
          fields: t.fields,
        };
      }),
    })),
  };
}
