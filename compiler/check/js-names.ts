// Names JavaScript treats specially (LANGUAGE §1a leaves identifiers free): `__proto__` as a
// key of an object literal sets the prototype, so it may name nothing and be read as no field.
// Every other Object.prototype member name (`constructor`, `toString`, ...) is an ordinary
// name: the emitter reads optional fields and parameters of such names as own properties.
import type { Ident, SourceFileAst, TypeExpr } from "../../grammar/ast.js";
import { CHECK } from "../diagnostics.js";
import type { Reporter } from "./state.js";
import { walkStmts } from "./walk.js";

const PROTO = "__proto__";

function report(diags: Reporter, id: Ident, what: string): void {
  if (id.name !== PROTO) return;
  diags.report(
    CHECK.protoName,
    id.span,
    `\`${PROTO}\` cannot be ${what}: in JavaScript a key \`${PROTO}\` sets an object's prototype instead of holding a value`,
  );
}

function typeNames(diags: Reporter, t: TypeExpr): void {
  const todo = [t];
  while (todo.length > 0) {
    const x = todo.pop()!;
    switch (x.kind) {
      case "record":
        for (const f of x.fields) {
          report(diags, f.name, "the name of a field");
          todo.push(f.type);
        }
        break;
      case "list":
      case "map":
        todo.push(x.elem);
        break;
      case "optional":
        todo.push(x.inner);
        break;
      default:
        break;
    }
  }
}

/** Reports every declaration named `__proto__`, and every record literal field or field read of that name. */
export function checkJsNames(files: SourceFileAst[], diags: Reporter): void {
  for (const file of files) {
    for (const d of file.decls) {
      if (d.kind === "type") {
        report(diags, d.name, "the name of a type");
        typeNames(diags, d.type);
        continue;
      }
      const params = d.kind === "extern" ? [d] : d.fns;
      if (d.kind === "extern") report(diags, d.name, "the name of an extern");
      else {
        report(diags, d.name, "the name of a service");
        for (const t of d.tables) {
          report(diags, t.name, "the name of a table");
          typeNames(diags, t.type);
        }
      }
      for (const f of params) {
        if (f.kind === "fn") report(diags, f.name, "the name of a fn");
        if (f.result) typeNames(diags, f.result);
        for (const p of f.params) {
          report(diags, p.name, "the name of a parameter");
          typeNames(diags, p.type);
        }
      }
      if (d.kind !== "service") continue;
      for (const fn of d.fns) {
        walkStmts(fn.body.stmts, {
          stmt: (s) => {
            if (s.kind === "let") {
              report(diags, s.name, "the name of a local");
              if (s.type) typeNames(diags, s.type);
            } else if (s.kind === "for") {
              if (s.key) report(diags, s.key, "the name of a local");
              report(diags, s.value, "the name of a local");
            }
          },
          expr: (e) => {
            if (e.kind === "record") for (const f of e.fields) report(diags, f.name, "the name of a field");
            else if (e.kind === "field") report(diags, e.name, "read as a field");
            else if (e.kind === "update") for (const s of e.sets) report(diags, s.field, "the name of a field");
          },
        });
      }
    }
  }
}
