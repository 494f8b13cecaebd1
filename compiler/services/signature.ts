// Signature help: inside the parentheses of a call, the callee's signature and which parameter
// the position is at — a fn of the service, an extern, a builtin, or `call`/`spawn s.f(...)`.
// Read from the text before the position, so it works while the call is half typed.
import { BUILTINS, externSignature, fnSignature } from "./describe.js";
import { guard, type Project } from "./project.js";
import { placeAt } from "./scope.js";

export interface SignatureAnswer {
  /** the whole signature, e.g. `fn bump(name: string) -> number` */
  label: string;
  /** each parameter's text within the label */
  parameters: string[];
  /** the parameter the position is at (0-based) */
  active: number;
  /** Markdown */
  documentation?: string;
}

/** The open call around the position: its callee's text and the argument index; null outside a call. */
function openCall(text: string, offset: number): { callee: string; arg: number } | null {
  let depth = 0;
  let arg = 0;
  const lineStart = (i: number) => text.lastIndexOf("\n", i) + 1;
  for (let i = offset - 1; i >= 0 && offset - i < 2000; i--) {
    const c = text[i];
    if (c === '"') {
      // skip back over a string on this line (an escaped quote is not its start)
      let j = i - 1;
      while (j >= lineStart(i) && !(text[j] === '"' && text[j - 1] !== "\\")) j--;
      if (j < lineStart(i)) return null;
      i = j;
    } else if (c === ")" || c === "]" || c === "}") depth++;
    else if (c === "(" || c === "[" || c === "{") {
      if (depth === 0) {
        // inside a list or record literal: the call's argument is the one around it
        if (c !== "(") {
          arg = 0;
          continue;
        }
        const callee = /((?:call|spawn)\s+[A-Za-z_]\w*\s*\.\s*[A-Za-z_]\w*|[A-Za-z_]\w*)\s*$/.exec(text.slice(Math.max(0, i - 200), i));
        return callee ? { callee: callee[1]!, arg } : null;
      }
      depth--;
    } else if (c === "," && depth === 0) arg++;
  }
  return null;
}

const SIGNAL_DOC =
  "delivers `value` as signal `name` to the instance, exactly once: `true` if this delivered it, `false` if that instance already had a signal of that name (the first value stays). Logged; not allowed inside `txn`";

/** The signature of the call the position is in, or null. Never throws. */
export function signatureHelp(project: Project, file: string, offset: number): SignatureAnswer | null {
  return guard(null, () => {
    const prog = project.analysis.program;
    const call = openCall(project.texts.get(file) ?? "", offset);
    if (!prog || !call) return null;
    const invoke = /^(call|spawn)\s+(\w+)\s*\.\s*(\w+)$/.exec(call.callee);
    const service = placeAt(project, file, offset).service?.name.name;
    const fn = invoke
      ? prog.services.get(invoke[2]!)?.fns.get(invoke[3]!)
      : service
        ? prog.services.get(service)?.fns.get(call.callee)
        : undefined;
    let label: string;
    let documentation: string | undefined;
    if (fn) {
      label = fnSignature(fn);
      documentation = invoke?.[1] === "spawn" ? "`spawn` returns the callee's instance id (`string`)" : undefined;
    } else if (!invoke && prog.externs.has(call.callee)) label = externSignature(prog.externs.get(call.callee)!);
    else if (call.callee === "signal") {
      label = "signal(instanceId: string, name: string, value: any) -> bool";
      documentation = SIGNAL_DOC;
    } else if (!invoke && BUILTINS[call.callee]) {
      label = BUILTINS[call.callee]!.signature;
      documentation = BUILTINS[call.callee]!.doc;
    } else return null;
    const parameters = splitParameters(label);
    return { label, parameters, active: Math.min(call.arg, Math.max(0, parameters.length - 1)), documentation };
  });
}

/** The parameters of a signature's outer parentheses, split at the commas outside brackets. */
function splitParameters(label: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = label.indexOf("(") + 1;
  for (let i = start; i < label.length; i++) {
    const c = label[i];
    if (c === "(" || c === "<" || c === "{") depth++;
    else if (c === ">" && label[i - 1] === "-") continue;
    else if (c === ">" || c === "}") depth--;
    else if (c === ")" && depth-- === 0) {
      if (i > start) out.push(label.slice(start, i).trim());
      break;
    } else if (c === "," && depth === 0) {
      out.push(label.slice(start, i).trim());
      start = i + 1;
    }
  }
  return out;
}
