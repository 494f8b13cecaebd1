// E0013: only a local variable can be assigned; a field, an element, a `read` or an operator
// expression cannot. The AST keeps such a statement as its value alone (LeftOut.assignTargets).
import { SYNTAX } from "../diagnostics.js";
import type { Check } from "./check.js";

export const assignmentTarget: Check = ({ report }) => ({
  assignTarget(target) {
    let message = "only a local variable can be assigned";
    let hint: string | undefined;
    switch (target.kind) {
      case "field":
        message = "a field cannot be assigned: records are values";
        hint = "build a new record and assign it to the `var` (`r = { ...fields }`), or use `update T[k] set f = e` for a stored value";
        break;
      case "index":
        message = "a list or map element cannot be assigned: lists and maps are values";
        hint = "build a new list or map and assign it to the `var`";
        break;
      case "read":
        message = "`read T[k]` cannot be assigned";
        hint = "to store a value, write `write T[k] = e`";
        break;
      case "binary":
      case "unary":
        hint = "to compare, use `==`";
        break;
    }
    report(SYNTAX.E0013, target.span, message, hint);
  },
});
