// What the web console reads from the dev session behind it (`beldi dev`, local/dev/): its status
// as plain JSON, the running stack, and each served version's program. The session implements it;
// the console never imports the session (imports flow one way).
import type { IrProgram } from "../../compiler/ir.js";
import type { LocalStack } from "../stack.js";

/** The last re-check of the sources. */
export interface CheckStatus {
  /** ms since the epoch */
  at: number;
  ok: boolean;
  errors: number;
  warnings: number;
  /** each diagnostic as `beldi check` prints it (file:line:col, code, source line, caret, hint) */
  diagnostics: string[];
  /** how long loading and checking took (ms) */
  checkMs: number;
}

/** What the last deploy did. */
export type DeployStatus =
  | { kind: "deployed"; at: number; version: string; from: string | null; buildMs: number }
  | { kind: "unchanged"; at: number; version: string }
  /** a table change the serving version could not read, or a build that failed: the old version stays */
  | { kind: "refused"; at: number; message: string; serving: string | null };

export interface LogLine {
  at: number;
  text: string;
}

export interface DevStatus {
  app: string;
  /** the app's folder or file, as given */
  appPath: string;
  /** where the local state is kept */
  stateDir: string;
  /** waiting: no version could be deployed yet (the sources have errors); serving: a stack runs */
  phase: "waiting" | "serving";
  /** the version new instances run */
  version: string | null;
  check: CheckStatus | null;
  deploy: DeployStatus | null;
  /** what the terminal printed, newest last (at most the last 200 lines) */
  log: LogLine[];
}

export interface ServedProgram {
  ir: IrProgram;
  /** source path -> text as it was when the version was deployed (for the lines steps show) */
  sources: ReadonlyMap<string, string>;
}

export interface ConsoleBackend {
  status(): DevStatus;
  /** the running stack; undefined until a first version is deployed */
  stack(): LocalStack | undefined;
  /** the program of a version the session deployed (or found kept), for naming an instance's steps */
  program(version: string): ServedProgram | undefined;
}
