// What a service's handler was sent, decided once: a client's invocation, an internal one (call,
// spawn event, collector re-send), a transaction's end, a maintenance pass — or a refusal. The
// handler switches on the result; nothing else looks at the raw payload.
import type { InvocationKind, InvocationResult, TxnEnd, TxnInfo } from "../contract/envelope.js";
import { RUNTIME_ERRORS, type RuntimeErrorKind } from "../contract/errors.js";
import { isPlainSchedule, signatureValid } from "./envelope-auth.js";

/** An invocation of a fn, as sent (its fn, id and input are validated against the fn later). */
export interface Invocation {
  fn: string;
  /** absent only for a client that lets the runtime choose */
  instanceId: unknown;
  input: unknown;
  /** "entry" for a client's invocation; how the app's own functions started it otherwise */
  kind: "entry" | Exclude<InvocationKind, "txn">;
  /** this instance may have run before: check the logs before every effect */
  replay: boolean;
  /** local stack only: the invocation tree, for request counting and crash injection */
  trace: string | undefined;
  /** a sync call: its caller's deadline (ms since the epoch) */
  deadline: number | undefined;
  /** the transaction a call runs in */
  txn: TxnInfo | undefined;
  /** a call in a transaction whose caller logs its result (signed: only the app's functions set it) */
  callerLogs: boolean;
  /** a client's invocation that another app version forwarded here, to the version its instance is pinned to */
  pinned: boolean;
}

export type DecodedEvent =
  | { kind: "invoke"; invocation: Invocation }
  | { kind: "txnEnd"; end: TxnEnd; replay: boolean; trace: string | undefined; deadline: number | undefined }
  | { kind: "collect"; olderThanMs: number | undefined }
  | { kind: "gc"; trace: string | undefined; laterByMs: number }
  /** the wake-up pass alone (the local stack's tick; on AWS the collector wakes too) */
  | { kind: "wake"; trace: string | undefined }
  /** a client delivering a signal to an instance of this service (LANGUAGE.md §9) */
  | { kind: "signal"; instanceId: string; name: string; value: unknown; trace: string | undefined }
  /** refused before anything ran */
  | { kind: "refused"; result: InvocationResult };

export const failure = (kind: RuntimeErrorKind, message: string): InvocationResult => ({
  ok: false,
  error: { code: RUNTIME_ERRORS[kind].code, message },
});

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const BAD_SHAPE = "the payload must be an object { fn, instanceId, input }";
const BAD_SIGNAL = 'a signal is sent as { "signal": { "instanceId": "<id>", "name": "<name>", "value": <json> } } and nothing else';
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/**
 * Decodes a payload. Internal fields (`beldi`) count only when signed with the app's envelope
 * key (or, for the collector and GC, the plain schedule events the platform sends).
 */
export function decodeEvent(raw: unknown, envelopeKey: string): DecodedEvent {
  if (!isObject(raw)) return { kind: "refused", result: failure("badPayload", BAD_SHAPE) };
  const beldi = raw.beldi;
  if (beldi !== undefined) {
    if (!isObject(beldi)) return { kind: "refused", result: failure("badPayload", BAD_SHAPE) };
    if (!signatureValid(envelopeKey, raw) && !isPlainSchedule(raw)) {
      return {
        kind: "refused",
        result: failure(
          "forgedEnvelope",
          "the payload's beldi field is internal to the app's functions: send { fn, instanceId, input } only",
        ),
      };
    }
  }
  if (raw.signal !== undefined) {
    // (a `beldi` field here is the local stack's signed trace, checked above)
    const sig = raw.signal;
    if (!isObject(sig) || typeof sig.instanceId !== "string" || typeof sig.name !== "string" || raw.fn !== undefined)
      return { kind: "refused", result: failure("badPayload", BAD_SIGNAL) };
    return {
      kind: "signal",
      instanceId: sig.instanceId,
      name: sig.name,
      value: sig.value ?? null,
      trace: isObject(beldi) ? str(beldi.trace) : undefined,
    };
  }
  const b = beldi ?? {};
  const trace = str(b.trace);
  switch (b.kind) {
    case "collect":
      return { kind: "collect", olderThanMs: num(b.olderThanMs) };
    case "gc":
      return { kind: "gc", trace, laterByMs: Math.max(0, num(b.laterByMs) ?? 0) };
    case "wake":
      return { kind: "wake", trace };
    case "txn":
      if (isObject(b.end))
        return { kind: "txnEnd", end: b.end as unknown as TxnEnd, replay: b.replay === true, trace, deadline: num(b.deadline) };
      break;
    case undefined:
    case "call":
    case "spawn":
    case "recover":
      if (typeof raw.fn !== "string") break;
      return {
        kind: "invoke",
        invocation: {
          fn: raw.fn,
          instanceId: raw.instanceId,
          input: raw.input,
          kind: b.kind ?? "entry",
          replay: b.replay === true,
          trace,
          deadline: num(b.deadline),
          txn: isObject(b.txn) ? (b.txn as unknown as TxnInfo) : undefined,
          callerLogs: b.callerLogs === true,
          pinned: b.pinned === true,
        },
      };
  }
  return { kind: "refused", result: failure("badPayload", BAD_SHAPE) };
}
