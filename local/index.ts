// `beldi/local`: the embedded stack for development, tests and crash sweeps (DESIGN.md §4).
export { LocalStack, type StartOptions, type InvokeOptions, type InvokeResult, type TableRow } from "./stack.js";
export { stopAllWorkers } from "./process-executor.js";
export type { GcStats } from "../runtime/gc.js";
