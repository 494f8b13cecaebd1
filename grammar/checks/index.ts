// The syntax checks that need only the AST (one rule per file), run in one walk over the tree and
// over what the translation left out of it. The walk is iterative: until depth.ts cuts it, a tree
// may be far deeper than the stack (chains of 1,000 operators inside 200 brackets).
import type { Block, Expr, Ident, SourceFileAst, Stmt, TypeExpr } from "../ast.js";
import { diagnostic } from "../diagnostics.js";
import type { Diagnostic } from "../span.js";
import { assignmentTarget } from "./assignment-target.js";
import type { Check, ExprPart, LeftOut, Place, Visitor } from "./check.js";
import { headerRecordLiteral } from "./header-record-literal.js";
import { reservedNames } from "./reserved-names.js";
import { updatePlacement } from "./update-placement.js";
import { waitName } from "./wait-name.js";

export type { LeftOut } from "./check.js";

const CHECKS: Check[] = [reservedNames, updatePlacement, headerRecordLiteral, assignmentTarget, waitName];

type Task = { stmt: Stmt } | { expr: Expr; place: Place } | { type: TypeExpr } | { name: Ident } | { assignTarget: Expr };

/** Runs every check over a file's AST and what its translation left out; the diagnostics they report. */
export function checkSyntax(file: SourceFileAst, leftOut: LeftOut, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visitors: Visitor[] = CHECKS.map((check) =>
    check({ text, report: (entry, span, message, hint) => out.push(diagnostic(entry, span, message, hint)) }),
  );
  const todo: Task[] = [];
  /** pushes tasks so that they run in the order given (a loop: a list may be too long to spread) */
  const then = (tasks: Task[]) => {
    for (let i = tasks.length - 1; i >= 0; i--) todo.push(tasks[i] as Task);
  };
  then([...declTasks(file), ...leftOut.assignTargets.map((e) => ({ assignTarget: e })), ...leftOut.typeArgs.map((t) => ({ type: t }))]);
  while (todo.length > 0) {
    const task = todo.pop() as Task;
    if ("stmt" in task) then(stmtTasks(task.stmt));
    else if ("expr" in task) {
      for (const v of visitors) v.expr?.(task.expr, task.place);
      then(exprTasks(task.expr));
    } else if ("type" in task) then(typeTasks(task.type));
    else if ("name" in task) for (const v of visitors) v.name?.(task.name);
    else {
      for (const v of visitors) v.assignTarget?.(task.assignTarget);
      todo.push({ expr: task.assignTarget, place: { of: "assignTarget" } });
    }
  }
  return out;
}

function declTasks(file: SourceFileAst): Task[] {
  const params = (ps: { name: Ident; type: TypeExpr }[]) => ps.flatMap((p): Task[] => [{ name: p.name }, { type: p.type }]);
  const result = (t: TypeExpr | null): Task[] => (t ? [{ type: t }] : []);
  return file.decls.flatMap((d): Task[] => {
    if (d.kind === "type") return [{ name: d.name }, { type: d.type }];
    if (d.kind === "extern") return [{ name: d.name }, ...params(d.params), ...result(d.result)];
    return [
      { name: d.name },
      ...d.tables.flatMap((t): Task[] => [{ name: t.name }, { type: t.type }]),
      ...d.fns.flatMap((fn): Task[] => [{ name: fn.name }, ...params(fn.params), ...result(fn.result), ...blockTasks(fn.body)]),
    ];
  });
}

function typeTasks(t: TypeExpr): Task[] {
  switch (t.kind) {
    case "list":
    case "map":
      return [{ type: t.elem }];
    case "optional":
      return [{ type: t.inner }];
    case "record":
      return t.fields.flatMap((f): Task[] => [{ name: f.name }, { type: f.type }]);
    case "name":
      return [];
  }
}

const blockTasks = (b: Block | null): Task[] => (b ? b.stmts.map((s) => ({ stmt: s })) : []);

function stmtTasks(s: Stmt): Task[] {
  const at = (e: Expr, part: Extract<Place, { of: "stmt" }>["part"]): Task => ({ expr: e, place: { of: "stmt", stmt: s, part } });
  switch (s.kind) {
    case "let":
      return [{ name: s.name }, ...(s.type ? [{ type: s.type }] : []), at(s.init, "init")];
    case "assign":
      return [{ name: s.target }, at(s.value, "value")];
    case "if":
      return [at(s.cond, "cond"), ...blockTasks(s.then), ...blockTasks(s.else)];
    case "for":
      return [...(s.key ? [{ name: s.key }] : []), { name: s.value }, at(s.iter, "iter"), ...blockTasks(s.body)];
    case "while":
      return [at(s.cond, "cond"), ...blockTasks(s.body)];
    case "return":
      return s.value ? [at(s.value, "value")] : [];
    case "fail":
      return [at(s.message, "message")];
    case "write":
      return [{ name: s.table }, at(s.key, "key"), at(s.value, "value")];
    case "delete":
      return [{ name: s.table }, at(s.key, "key")];
    case "txn":
      return [...blockTasks(s.body), ...(s.reason ? [{ name: s.reason }] : []), ...blockTasks(s.else)];
    case "parallel":
      return s.branches.map((b) => ({ stmt: b }));
    case "expr":
      return [at(s.expr, "expr")];
    case "abort":
      return s.reason ? [at(s.reason, "reason")] : [];
    case "sleep":
      return [at(s.ms, "ms")];
    case "break":
    case "continue":
      return [];
  }
}

function exprTasks(e: Expr): Task[] {
  const at = (x: Expr, part: ExprPart): Task => ({ expr: x, place: { of: "expr", expr: e, part } });
  switch (e.kind) {
    case "list":
      return e.items.map((x) => at(x, "item"));
    case "record":
      return e.fields.flatMap((f): Task[] => [{ name: f.name }, ...(f.value ? [at(f.value, "fieldValue")] : [])]);
    case "paren":
      return [at(e.inner, "inner")];
    case "field":
      return [at(e.object, "object"), { name: e.name }];
    case "index":
      return [at(e.object, "object"), at(e.index, "index")];
    case "call":
      return [at(e.callee, "callee"), ...e.args.map((x) => at(x, "arg"))];
    case "unary":
      return [at(e.operand, "operand")];
    case "binary":
      return [at(e.left, "left"), at(e.right, "right")];
    case "read":
      return [{ name: e.table }, at(e.key, "key")];
    case "scan":
      return [{ name: e.table }];
    case "invoke":
      return [{ name: e.service }, { name: e.fn }, ...e.args.map((x) => at(x, "arg"))];
    case "wait":
      return [at(e.name, "waitName"), { type: e.type }, ...(e.timeout ? [at(e.timeout, "timeout")] : [])];
    case "signal":
      return e.args.map((x) => at(x, "arg"));
    case "update":
      return [
        { name: e.table },
        at(e.key, "key"),
        ...(e.alias ? [{ name: e.alias }] : []),
        ...e.sets.flatMap((s): Task[] => [{ name: s.field }, at(s.value, "setValue")]),
        ...(e.where ? [at(e.where, "where")] : []),
      ];
    case "number":
    case "string":
    case "bool":
    case "null":
    case "name":
      return [];
  }
}
