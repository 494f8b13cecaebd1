// The invocation payloads a service's Lambda accepts and the results it returns (DESIGN.md §5).
import type { Json } from "./json.js";

/** How an instance was started; absent for a client's entry invocation. */
export type InvocationKind =
  /** a synchronous `call` from another instance (no intent: its caller's tree owns it) */
  | "call"
  /** a `spawn`: its intent was registered by the caller before the event was sent */
  | "spawn"
  /** the intent collector re-executing an unfinished intent */
  | "recover"
  /** a transaction's owner telling a participant service to commit or abort */
  | "txn";

export interface InvocationEvent {
  fn: string;
  instanceId?: string;
  input: unknown;
  beldi?: {
    kind?: InvocationKind;
    /** this instance may have run before: check the logs before every effect */
    replay?: boolean;
    /** local stack only: the invocation tree, for request counting and crash injection */
    trace?: string;
    /** a sync call: the caller's deadline (ms since the epoch), which the callee keeps to as well */
    deadline?: number;
    /** the transaction this call is part of */
    txn?: TxnInfo;
    /**
     * a call in a transaction whose caller logs its result (with the decision at the latest): a
     * callee whose values are all repeatable under the attempt's locks need not log it too
     */
    callerLogs?: boolean;
    /** for kind "txn": what this service must do */
    end?: TxnEnd;
    /** a client's invocation forwarded to the app version its instance is pinned to (by another version) */
    pinned?: boolean;
  };
}

/**
 * A scheduled maintenance event (the IC), sent by EventBridge on AWS and by the local stack:
 * the collector (which also wakes due suspended instances), GC, or only the wake-up pass.
 */
export interface MaintenanceEvent {
  beldi: { kind: "collect"; olderThanMs?: number } | { kind: "gc"; trace?: string; laterByMs?: number } | { kind: "wake"; trace?: string };
}

/** A signal delivered from outside (LANGUAGE.md §9), sent to the instance's service. */
export interface SignalEvent {
  signal: { instanceId: string; name: string; value: Json };
}

/** The answer to a client whose instance suspended (`sleep`, `wait`): ask again with the same id for the result. */
export interface PendingResult {
  ok: true;
  pending: true;
  instanceId: string;
}

/** What a client is answered: a result, or that its instance is suspended. */
export type ClientResult = InvocationResult | PendingResult;

export type InvocationResult = ({ ok: true; value: Json } | { ok: false; error: ErrorInfo }) & {
  /** in a transaction: what the callee (and its callees) hold and wrote */
  txn?: TxnInfo;
  /** in a transaction: wait-die killed it; the transaction restarts */
  restart?: boolean;
  /** a call whose caller logs its result (`callerLogs`): the values the callee did not log, which the caller logs with it */
  unlogged?: Record<string, Json>;
};

/** The error part of a failed invocation's result. */
export interface ErrorInfo {
  code: string;
  message: string;
}

/** A lock's mode: shared (read) or exclusive (write). */
export type LockMode = "r" | "w";

/** What a transaction attempt holds and will write, as plain JSON (it travels in payloads and logs). */
export interface TxnInfo {
  id: string;
  age: number;
  /** buffered writes: service, table, key, new value (null: delete) */
  writes: [string, string, string, Json][];
  /** locks held: service, table, key, mode */
  locks: [string, string, string, LockMode][];
}

/** A logged decision about one attempt. */
export type Decision =
  | ({ kind: "commit" } & TxnInfo)
  | ({ kind: "restart" } & TxnInfo)
  /** `reason`: what the `else (r)` block gets (absent in decisions logged before abort reasons: `""`) */
  | ({ kind: "abort"; reason?: string } & TxnInfo)
  | ({ kind: "fail"; error: { code: string; message: string } } & TxnInfo);

/** The part of a transaction's end one service carries out on its own tables. */
export interface TxnEnd {
  op: "commit" | "abort";
  id: string;
  writes: [string, string, Json][];
  locks: [string, string, LockMode][];
}
