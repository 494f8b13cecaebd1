// `beldi/local`: the embedded stack for development, tests and crash sweeps (DESIGN.md §4).
export {
  LocalStack,
  WAKE_TICK_MS,
  type StartOptions,
  type InvokeOptions,
  type InvokeResult,
  type SignalOptions,
  type TableRow,
} from "./stack.js";
export { stopAllWorkers } from "./process-executor.js";
export type { GcStats } from "../runtime/gc.js";
export {
  crashSweep,
  duplicateExecution,
  SweepError,
  type CrashPoint,
  type Comparison,
  type DuplicateOptions,
  type DuplicateReport,
  type DuplicateRun,
  type Reference,
  type RowDifference,
  type SetupRows,
  type SweepOptions,
  type SweepReport,
  type Tables,
} from "./sweep.js";
export { describeDuplicates, describeSweep } from "./sweep-report.js";
export { inspectInstance, listInstances, spawnedUnder, type Inspector } from "./inspect/inspect.js";
export { inspectorOf, type StackInspector } from "./inspect/of-stack.js";
export { openInspector, NoLocalState, type OpenInspector, type OpenOptions } from "./inspect/open.js";
export { renderInspect, renderInstances } from "./inspect/render-text.js";
export type * from "./inspect/model.js";
