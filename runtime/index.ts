// The library every generated handler imports (`beldi/runtime`). Runs inside a Lambda; talks
// to the store and to other Lambdas through the AWS SDK only.
export { defineService, type FnSpec, type ServiceSpec, type Handler } from "./service.js";
export type { Ctx, TxnOutcome } from "./ctx.js";
export type { UpdateSpec, SetOp, Cond, Operand, CmpOp } from "./update-spec.js";
export type { TypeDesc, TypeTable, FieldDesc } from "./types.js";
export { resolveType } from "./types.js";
export * as values from "./values.js";
export { BeldiFailure, RUNTIME_ERRORS, type ErrorInfo, type RuntimeErrorEntry } from "./errors.js";
export { configFromEnv, configToEnv, DEFAULT_ROW_CAPACITY, DEFAULT_WINDOW_MS, type RuntimeConfig } from "./config.js";
export type { InvocationEvent, InvocationResult, InvocationKind, MaintenanceEvent } from "./envelope.js";
export { tableNames, functionName, ENTRY_ID, callId, spawnId, rootOf } from "./names.js";
export { TRACE_HEADER, KILLED_ERROR } from "./trace.js";
export { Store } from "./store.js";
export { Daal, HEAD, recordOf, valueAttr, type DataTable, type Record_ } from "./daal.js";
export { Intents, type Intent } from "./intent.js";
export type { Json } from "./codec.js";
