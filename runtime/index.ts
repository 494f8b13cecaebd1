// The library every generated handler imports (`beldi/runtime`). Runs inside a Lambda; talks
// to the store and to other Lambdas through the AWS SDK only.
export { defineService, type FnSpec, type ServiceSpec, type Handler } from "./service.js";
export type { Ctx, TxnOutcome } from "../contract/ctx.js";
export type { UpdateSpec, SetOp, Cond, Operand, CmpOp } from "../contract/update-spec.js";
export type { TypeDesc, TypeTable, FieldDesc } from "../contract/types.js";
export { resolveType } from "../contract/types.js";
export * as values from "./values.js";
export { BeldiFailure } from "./errors.js";
export { RUNTIME_ERRORS, type RuntimeErrorEntry } from "../contract/errors.js";
export type { ErrorInfo } from "../contract/envelope.js";
export { configFromEnv, configToEnv, DEFAULT_ROW_CAPACITY, DEFAULT_WINDOW_MS, type RuntimeConfig } from "./config.js";
export type { InvocationEvent, InvocationResult, InvocationKind, MaintenanceEvent } from "../contract/envelope.js";
export { ENTRY_ID, callId, spawnId, rootOf } from "../contract/ids.js";
export { tableNames, functionName } from "../contract/schema.js";
export { TRACE_HEADER, KILLED_ERROR } from "./trace.js";
export { Store } from "./store.js";
export { Daal } from "./daal.js";
export { recordOf, type DataTable } from "./rows.js";
export { HEAD, headKey, valueAttr } from "../contract/schema.js";
export { Intents, type Intent } from "./intent.js";
export type { Json, Record_ } from "../contract/json.js";
