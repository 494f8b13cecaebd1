// The clients and table names one service's handler uses, made once per container.
import type { RuntimeConfig } from "./config.js";
import { Daal } from "./daal.js";
import type { DataTable } from "./rows.js";
import { Intents } from "./intent.js";
import { Locks } from "./locks.js";
import { Invoker } from "./invoke.js";
import { tableNames } from "../contract/schema.js";
import { attemptIsOver } from "./stale-locks.js";
import { Store } from "./store.js";
import type { TypeDesc, TypeTable } from "../contract/types.js";
import { TableType } from "./value-types.js";
import { Suspensions } from "./suspension.js";

// The SDK warns on every client creation about Node versions it will drop; our pinned clients
// keep working, and the warning would drown a handler's logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export class ServiceRuntime {
  readonly store: Store;
  readonly daal: Daal;
  readonly locks: Locks;
  /** how long a transaction waits for younger lock holders before it restarts */
  readonly txnWaitMs: number;
  /** how long a plain write waits for a transaction's lock before the instance gives up */
  readonly lockWaitMs: number;
  readonly invoker: Invoker;
  readonly intents: Intents;
  readonly logTable: string;
  private readonly dataTables = new Map<string, DataTable>();
  private readonly valueTypes = new Map<string, TableType>();
  private readonly otherIntents = new Map<string, Intents>();
  private readonly suspensions = new Map<string, Suspensions>();
  /** every service of the app */
  readonly services: readonly string[];

  private readonly readOnlyFns: ReadonlySet<string>;

  constructor(
    readonly config: RuntimeConfig,
    readonly service: string,
    tables: Record<string, { fields: string[]; type?: TypeDesc }>,
    /** "service.fn" of the app's fns with no effect anywhere they reach */
    readOnly: readonly string[] = [],
    /** every service of the app (whose intents a call tree's root may be in) */
    services: readonly string[] = [service],
    /** the app version this code is (IrProgram.codeVersion): instances it starts are pinned to it */
    readonly version?: string,
    /** the app's declared types, by name (a `wait` checks a signal's value against its type) */
    readonly types: TypeTable = {},
    /** the services whose instances may wait for a signal (the ones a signal looks in) */
    readonly waiting: readonly string[] = services,
  ) {
    this.readOnlyFns = new Set(readOnly);
    this.services = services;
    this.store = new Store(config);
    // Both well inside an execution's timeout (which is inside the window T).
    this.txnWaitMs = Math.min(10_000, Math.max(100, config.timeoutMs / 5));
    // A transaction older than the window is suspect (the collector would have re-executed its
    // owner by then): only such lock holders are looked into, so contention costs no lookups.
    const locks = new Locks(
      this.store,
      (holder, t, key) => attemptIsOver(this.store, config, holder, service, t.label, key, services),
      config.windowMs,
    );
    this.locks = locks;
    this.daal = new Daal(this.store, config.rowCapacity, (t, key, item, asked) => locks.clearLeft(t, key, item, asked));
    this.lockWaitMs = Math.min(60_000, Math.max(200, config.timeoutMs / 2));
    this.invoker = new Invoker(config, version);
    this.intents = new Intents(this.store, tableNames.intent(config.prefix, config.app, service), version);
    this.logTable = tableNames.log(config.prefix, config.app, service);
    for (const [label, t] of Object.entries(tables)) {
      // a build before tables carried their type: every field a row lacks reads back as null
      const type = t.type ? new TableType(t.type, types) : undefined;
      if (type) this.valueTypes.set(label, type);
      this.dataTables.set(label, {
        name: tableNames.data(config.prefix, config.app, service, label),
        label,
        fields: t.fields,
        mayBeAbsent: type?.mayBeAbsent(),
      });
    }
  }

  /** A table's declared value type, to check what a write or update would store (none from a build before types were kept). */
  valueType(label: string): TableType | undefined {
    return this.valueTypes.get(label);
  }

  /** Whether `service.fn` has no effect anywhere it reaches (runs without logs or intents outside a transaction). */
  isReadOnly(service: string, fn: string): boolean {
    return this.readOnlyFns.has(`${service}.${fn}`);
  }

  /** Every data table of the service. */
  tables(): DataTable[] {
    return [...this.dataTables.values()];
  }

  table(label: string): DataTable {
    const t = this.dataTables.get(label);
    if (!t) throw new Error(`service ${this.service} has no table ${label}`);
    return t;
  }

  /** A service's suspended instances and signals (its intent table). */
  suspensionsOf(service: string): Suspensions {
    let s = this.suspensions.get(service);
    if (!s) {
      s = new Suspensions(this.store, this.intentsOf(service));
      this.suspensions.set(service, s);
    }
    return s;
  }

  /** Another service's intents, for registering a spawned callee (runtime bookkeeping may cross services). */
  intentsOf(service: string): Intents {
    if (service === this.service) return this.intents;
    let i = this.otherIntents.get(service);
    if (!i) {
      i = new Intents(this.store, tableNames.intent(this.config.prefix, this.config.app, service), this.version);
      this.otherIntents.set(service, i);
    }
    return i;
  }
}
