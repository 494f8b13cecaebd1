// The checker's diagnostic catalog (errors E0100-E0999, warnings W0001+) and the whole catalog
// (syntax + checker) that docs/errors.md documents. A code is never reused for another meaning:
// add new entries with new codes, and retire old ones by leaving them in place.
import { SYNTAX, diagnostic, type DiagnosticEntry } from "../grammar/diagnostics.js";
import { compareCodeUnits } from "./order.js";

export { diagnostic, SYNTAX };
export type { DiagnosticEntry };

function e(code: string, title: string, explain: string, example: string, fix: string): DiagnosticEntry {
  return { code, severity: "error", title, explain, example, fix };
}
function w(code: string, title: string, explain: string, example: string, fix: string): DiagnosticEntry {
  return { code, severity: "warning", title, explain, example, fix };
}

export const CHECK = {
  // ---- declarations and names ---------------------------------------------------------------
  duplicateDecl: e(
    "E0100",
    "duplicate declaration",
    "Two `type`s, two `extern`s or two `service`s of the app have the same name. Names are global to the app, across its files.",
    "type Point = { x: number }\ntype Point = { y: number }",
    "Rename or remove one of the declarations.",
  ),
  duplicateTable: e(
    "E0101",
    "duplicate table",
    "A service declares two tables with the same name. (Two different services may each have a table of that name.)",
    "type C = { n: number }\nservice s {\n  table t: C\n  table t: C\n}",
    "Rename or remove one of the tables.",
  ),
  duplicateFn: e(
    "E0102",
    "duplicate fn",
    "A service declares two fns with the same name.",
    "service s {\n  fn f() { }\n  fn f() { }\n}",
    "Rename or remove one of the fns.",
  ),
  duplicateParam: e(
    "E0103",
    "duplicate parameter",
    "A fn or extern has two parameters with the same name.",
    "service s {\n  fn f(a: number, a: string) { }\n}",
    "Rename one of the parameters.",
  ),
  unknownType: e(
    "E0104",
    "unknown type",
    "A type name is neither a built-in type (`string`, `number`, `bool`, `null`, `any`) nor declared with `type`.",
    "service s {\n  fn f(p: Pointt) { }\n}",
    "Declare the type with `type Name = ...`, or fix the spelling.",
  ),
  recursiveType: e(
    "E0105",
    "recursive type",
    "A `type` refers to itself, directly or through other types. Values are JSON trees of bounded shape, so recursive types are not supported.",
    "type Node = { next: Node? }",
    "Break the cycle, e.g. keep the children's keys (`list<string>`) instead of the children.",
  ),
  reservedTypeName: e(
    "E0106",
    "reserved type name",
    "A `type` declaration uses the name of a built-in type (`string`, `number`, `bool`, `null`, `any`, `list`, `map`).",
    "type string = { s: number }",
    "Choose another name.",
  ),
  unknownName: e(
    "E0107",
    "unknown name",
    "An expression uses a name that is not a parameter or local visible here.",
    "service s {\n  fn f(count: number) -> number {\n    return cuont + 1\n  }\n}",
    "Declare it with `let`/`var` before use, or fix the spelling.",
  ),
  unknownTable: e(
    "E0108",
    "unknown table",
    "A `read`, `write`, `update`, `delete` or `scan` names a table that no service declares.",
    "service s {\n  fn f(k: string) {\n    delete itemz[k]\n  }\n}",
    "Declare the table in the service (`table name: Type`), or fix the spelling.",
  ),
  unknownService: e(
    "E0109",
    "unknown service",
    "A `call` or `spawn` names a service that the app does not declare.",
    "service s {\n  fn f() {\n    call nope.g()\n  }\n}",
    "Fix the service's name, or add the service.",
  ),
  unknownServiceFn: e(
    "E0110",
    "unknown fn of a service",
    "A `call` or `spawn` names a fn that the service does not have.",
    "service s {\n  fn f() {\n    call s.g()\n  }\n}",
    "Fix the fn's name, or add the fn to the service.",
  ),
  unknownFunction: e(
    "E0111",
    "unknown function",
    "`f(args)` names no fn of this service, no `extern` and no builtin.",
    'service s {\n  fn f() -> number {\n    return lenn("abc")\n  }\n}',
    "Fix the name; to run a fn of another service use `call service.fn(args)`.",
  ),
  alreadyDeclared: e(
    "E0112",
    "name already declared",
    "A parameter or local is declared with a name that is already visible here (a parameter or a local of an enclosing scope, or of the same scope). Shadowing is not allowed; a local may have the name of a builtin, fn or extern (it hides it in calls).",
    "service s {\n  fn f(x: number) {\n    if x > 0 {\n      let x = 2\n    }\n  }\n}",
    "Rename the new local.",
  ),
  calleeNotName: e(
    "E0113",
    "only names can be called",
    "Only a name can be called: a fn of this service, an `extern` or a builtin. Values are not functions.",
    "service s {\n  fn f(r: { g: number }) {\n    r.g(1)\n  }\n}",
    "Call a fn by its name, or `call service.fn(args)` for a fn of another service.",
  ),
  notAFunction: e(
    "E0114",
    "a local is not a function",
    "The called name is a parameter or local, which hides any builtin, fn or extern of that name in calls; values cannot be called.",
    'service s {\n  fn f(len: number) -> number {\n    return len("abc")\n  }\n}',
    "Rename the local so the function's name is visible again.",
  ),
  tableNotRecord: e(
    "E0115",
    "table value is not a record",
    "A table's value type must be a record type (each field is stored as one attribute).",
    "service s {\n  table t: number\n}",
    "Wrap the value in a record: `table t: { n: number }`.",
  ),
  protoName: e(
    "E0116",
    "`__proto__` as a name",
    "`__proto__` cannot name a type, field, table, fn, service, extern, parameter or local, nor be read as a field: " +
      "in the JavaScript the compiler generates (and in much JSON handling around it) a key `__proto__` sets an object's " +
      "prototype instead of holding a value, so such a fn could never be invoked and such a field never stored. Other " +
      "names of JavaScript's `Object.prototype` members (`constructor`, `toString`, `valueOf`, ...) are ordinary names.",
    "type T = { __proto__: number }",
    'Choose another name. To keep data under the key `__proto__`, use a `map<T>`: `m["__proto__"]` is an ordinary key.',
  ),

  // ---- types and expressions ----------------------------------------------------------------
  typeMismatch: e(
    "E0200",
    "type mismatch",
    "A value's type does not fit the type required where it stands (a declared local, an assignment, a condition, a `return`, a `write`, a `set`, a `fail` message).",
    'service s {\n  fn f() {\n    let n: number = "one"\n  }\n}',
    "Change the value, or the declared type.",
  ),
  optionalAccess: e(
    "E0201",
    "possibly null value used",
    "A field, index or operation is used on a value of optional type (`T?`) that may be null here, e.g. the result of `read`.",
    "type H = { cap: number }\nservice s {\n  table hs: H\n  fn f(k: string) -> number {\n    let h = read hs[k]\n    return h.cap\n  }\n}",
    "Write `h?.cap` for a value that is null when `h` is (and `h?.cap ?? 0` for a default), or check for null first (`if h == null { return 0 }`).",
  ),
  noSuchField: e(
    "E0202",
    "no such field",
    "A field access names a field that the record type does not have.",
    "type P = { x: number }\nservice s {\n  fn f(p: P) -> number {\n    return p.y\n  }\n}",
    "Use one of the record's fields, or add the field to the type.",
  ),
  notARecord: e(
    "E0203",
    "field access on a value that is not a record",
    "`e.f` needs a record (or `any`); maps are indexed with `m[k]`.",
    "service s {\n  fn f(m: map<number>) -> number? {\n    return m.a\n  }\n}",
    'Use `m["a"]` for maps; check the value\'s type.',
  ),
  badIndex: e(
    "E0204",
    "bad index",
    "`e[i]` needs a list with a number index or a map with a string index.",
    'service s {\n  fn f(xs: list<number>) -> number? {\n    return xs["a"]\n  }\n}',
    "Index lists with numbers and maps with strings.",
  ),
  badOperand: e(
    "E0205",
    "operator does not apply to these types",
    "Arithmetic (`* / % -`, unary `-`) needs numbers; `+` needs two numbers, two strings or two lists.",
    "service s {\n  fn f(b: bool) -> number {\n    return b * 2\n  }\n}",
    "Convert the operands (`num(s)`, `str(n)`) or use another operator.",
  ),
  stringPlusNumber: e(
    "E0206",
    "string + number",
    "`+` does not mix strings and numbers.",
    'service s {\n  fn f(n: number) -> string {\n    return "n=" + n\n  }\n}',
    'Convert the number with `str(n)`: `"n=" + str(n)`.',
  ),
  badComparison: e(
    "E0207",
    "bad comparison",
    "`<`, `<=`, `>` and `>=` compare two numbers or two strings.",
    "service s {\n  fn f(a: number, b: string) -> bool {\n    return a < b\n  }\n}",
    "Compare values of the same type (convert with `num(s)` or `str(n)`).",
  ),
  badEquality: e(
    "E0208",
    "comparison of unrelated types",
    "`==` and `!=` compare values structurally; values of unrelated types (e.g. a string and a number) are never equal, so the comparison is a mistake. Comparing with `null` is always allowed.",
    'service s {\n  fn f(a: number) -> bool {\n    return a == "1"\n  }\n}',
    "Convert one side (`str(a)`, `num(s)`) so both have the same type.",
  ),
  badLogical: e(
    "E0209",
    "logical operator on a non-bool",
    "`&&`, `||` and `!` take `bool` operands.",
    "service s {\n  fn f(n: number) -> bool {\n    return !n\n  }\n}",
    "Compare explicitly, e.g. `n != 0`.",
  ),
  coalesceNotOptional: e(
    "E0210",
    "`??` on a value that is never null",
    "The left side of `??` must be of optional type (`T?`) or `any`; otherwise the default is never used.",
    "service s {\n  fn f(n: number) -> number {\n    return n ?? 0\n  }\n}",
    "Remove `?? ...`.",
  ),
  arity: e(
    "E0211",
    "wrong number of arguments",
    "A fn, extern or builtin is called with more or fewer arguments than it has parameters.",
    "service s {\n  fn f() -> number {\n    return abs(1, 2)\n  }\n}",
    "Pass exactly one argument per parameter.",
  ),
  argType: e(
    "E0212",
    "argument of the wrong type",
    "An argument's type does not fit the parameter (of a fn, extern or builtin).",
    "service s {\n  fn f() -> number {\n    return len(5)\n  }\n}",
    "Pass a value of the parameter's type.",
  ),
  missingField: e(
    "E0213",
    "record literal misses a field",
    "A record literal must give every required (non-`?`) field of the record type it is checked against.",
    "type P = { x: number, y: number }\nservice s {\n  fn f() -> P {\n    return { x: 1 }\n  }\n}",
    "Add the missing field, or declare it optional (`y?: number`).",
  ),
  extraField: e(
    "E0214",
    "record literal has an extra field",
    "A record literal must have exactly the fields of the record type it is checked against; this one is not in the type.",
    "type P = { x: number }\nservice s {\n  fn f() -> P {\n    return { x: 1, y: 2 }\n  }\n}",
    "Remove the field, or add it to the type.",
  ),
  duplicateField: e(
    "E0215",
    "duplicate field",
    "A record type or record literal names the same field twice.",
    "type P = { x: number, x: string }",
    "Remove or rename one of them.",
  ),
  nonFinite: e(
    "E0216",
    "number literal is not finite",
    "A number literal is too large for a double (it would be infinite). The store cannot hold non-finite numbers. The parser already reports such literals in source text (E0017); the checker re-checks syntax trees built by other tools.",
    "service s {\n  fn f() -> number {\n    return 1e999\n  }\n}",
    "Use a smaller number.",
  ),
  cannotInfer: e(
    "E0217",
    "cannot infer the type",
    "A `let`/`var` without a type is initialised with `null`, `[]` or `{}`, which does not say what the local holds.",
    "service s {\n  fn f() {\n    var xs = []\n  }\n}",
    "Write the type: `var xs: list<string> = []`.",
  ),
  updateNeedsWhere: e(
    "E0218",
    "`update` without `where` has no value",
    "Only `update ... where c` yields a value (whether it was applied); an `update` without `where` is a statement only.",
    "type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    let ok = update cs[k] set n = 1\n    return ok\n  }\n}",
    "Write the `update` as a statement, or add a `where` condition.",
  ),
  mixedList: e(
    "E0219",
    "list items of different types",
    "The items of a list literal must have one type (apart from `null`, which makes it optional).",
    'service s {\n  fn f() {\n    let xs = [1, "two"]\n  }\n}',
    "Convert the items to one type, or write the list's type.",
  ),
  badIterable: e(
    "E0220",
    "cannot iterate",
    "`for` walks a list (`for x in xs`) or a map (`for k, v in m`); this value is neither.",
    "service s {\n  fn f(n: number) {\n    for x in n { }\n  }\n}",
    "Iterate a list or map, e.g. `for i in range(n)`.",
  ),
  forMapOneName: e(
    "E0221",
    "one-name `for` over a map",
    "A map is walked with two names, the key and the value.",
    "service s {\n  fn f(m: map<number>) {\n    for x in m { }\n  }\n}",
    "Write `for k, v in m`, or `for k in keys(m)` / `for v in values(m)`.",
  ),
  forListTwoNames: e(
    "E0222",
    "two-name `for` over a list",
    "A list is walked with one name; two names are for maps.",
    "service s {\n  fn f(xs: list<number>) {\n    for i, x in xs { }\n  }\n}",
    "Write `for x in xs` (or `for i in range(len(xs))` for indexes).",
  ),
  returnValueInProcedure: e(
    "E0223",
    "`return` with a value in a fn without a result type",
    "A fn without `-> R` returns nothing (`null`); its `return` takes no value.",
    "service s {\n  fn f() {\n    return 1\n  }\n}",
    "Declare the result type (`fn f() -> number`), or drop the value.",
  ),
  returnWithoutValue: e(
    "E0224",
    "`return` without a value",
    "The fn's result type does not admit `null`, so `return` needs a value.",
    "service s {\n  fn f() -> number {\n    return\n  }\n}",
    "Return a value of the result type.",
  ),
  nullSafeNotOptional: e(
    "E0225",
    "`?.` on a value that is never null",
    "`a?.f` is `a.f` when `a` is not null and null otherwise, so its type is the field's type made optional. On a value that is never null (its type is not `T?`, or a null check narrowed it) the `?.` only makes the result optional, which every later use must then check again.",
    "type P = { x: number }\nservice s {\n  fn f(p: P) -> number? {\n    return p?.x\n  }\n}",
    "Write `.` (`p.x`).",
  ),
  waitOptional: e(
    "E0226",
    "`wait` for an optional or null type",
    '`wait "name" as T` yields `T?`: `null` means the wait timed out. A `T` that is itself optional (`number?`, or a declared type that is) or `null` would make a delivered `null` look like a timeout.',
    'service s {\n  fn f() -> number? {\n    return wait "n" as number? timeout 1000\n  }\n}',
    'Wait for the non-optional type (`wait "n" as number`); send a record such as `{ value: number? }` when null is a value the sender means.',
  ),

  // ---- statements ---------------------------------------------------------------------------
  assignImmutable: e(
    "E0300",
    "assignment to an immutable name",
    "Only `var`s can be assigned; parameters, `let`s and `for` names are immutable.",
    "service s {\n  fn f() {\n    let n = 1\n    n = 2\n  }\n}",
    "Declare it with `var`, or bind a new `let`.",
  ),
  jumpOutsideLoop: e(
    "E0301",
    "`break`/`continue` outside a loop",
    "`break` and `continue` must be inside a `for` or `while` body.",
    "service s {\n  fn f() {\n    break\n  }\n}",
    "Remove it, or use `return`.",
  ),
  missingReturn: e(
    "E0302",
    "missing `return`",
    "The fn's result type does not admit `null`, but the end of its body can be reached without `return`.",
    "service s {\n  fn f(b: bool) -> number {\n    if b { return 1 }\n  }\n}",
    "Add a `return` (or `fail`) on every path.",
  ),

  // ---- sovereignty --------------------------------------------------------------------------
  foreignTable: e(
    "E0400",
    "table of another service",
    "A service may only read and write its own tables (sovereignty). Another service's table is reached by `call`ing one of its fns.",
    "type C = { n: number }\nservice a {\n  table cs: C\n  fn get(k: string) -> C? { return read cs[k] }\n}\nservice b {\n  fn f(k: string) -> C? {\n    return read cs[k]\n  }\n}",
    "`call` a fn of the owner that does the operation, or add one.",
  ),

  // ---- update set/where ---------------------------------------------------------------------
  unknownStoredField: e(
    "E0500",
    "unknown stored field",
    "A `set` assigns a field that the table's value type does not have.",
    "type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set m = 1\n  }\n}",
    "Use one of the value type's fields.",
  ),
  localShadowsField: e(
    "E0501",
    "local has the name of a stored field",
    "Inside `set` and `where`, a bare name that is a field of the table's value type means the stored field, so a local of the same name cannot be used there.",
    "type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string, n: number) {\n    update cs[k] set n = n + 1\n  }\n}",
    "Name the stored value with `as` (`update cs[k] as c set n = c.n + n`): then `c.n` is the stored field and bare names are locals again. Or rename the local.",
  ),
  notAtomic: e(
    "E0502",
    "`set` value cannot be applied atomically",
    "The store applies an update atomically: `f + e` / `f - e` / `(f ?? d) + e` on numbers, `f ?? e`, and `f + [e]` / `f + xs` on lists, where `e` is a local value. Any other use of a stored field in a `set` value cannot be done by the store.",
    "type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set n = n * 2\n  }\n}",
    "Read the value first and `write` it, or do the read and write inside a `txn`.",
  ),
  duplicateSet: e(
    "E0503",
    "field set twice",
    "An `update` sets the same field twice.",
    "type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set n = 1, n = 2\n  }\n}",
    "Set each field once.",
  ),
  badWhere: e(
    "E0504",
    "unsupported `where` condition",
    "A `where` condition compares stored fields with local values or other fields, tests `exists(f)`, `contains(f, e)` or `len(f) <op> e`, and combines them with `&& || !`. Other uses of a stored field cannot be evaluated by the store.",
    "type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    return update cs[k] set n = 1 where n * 2 > 4\n  }\n}",
    "Rewrite the condition in a supported form (e.g. `n > 2`), or read first and decide in the fn.",
  ),
  whereNeedsField: e(
    "E0505",
    "`exists`/`contains`/`len` needs a stored field",
    "In a `where`, `exists(f)` takes a bare field name of the table's value type (`s.f` with `update ... as s`); `contains(f, e)` and `len(f)` mean stored fields when their first argument is one.",
    "type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string, x: number) -> bool {\n    return update cs[k] set n = 1 where exists(x)\n  }\n}",
    "Name a field of the table's value type.",
  ),
  aliasMisuse: e(
    "E0506",
    "the stored value of `update ... as` used other than as `s.f`",
    "With `update T[k] as s`, the stored value is named `s` inside `set` and `where`, but the store only applies field operations: `s` may appear only as `s.f`, a field of the table's value type. `s` alone (`json(s)`, `{ s }`) or `s?.f` names nothing the store can use.",
    "type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    return update cs[k] as c set n = 1 where c != null\n  }\n}",
    "Use a field (`c.n`, `exists(c.n)`), or read the value first with `read`.",
  ),

  // ---- transactions -------------------------------------------------------------------------
  abortOutsideTxn: e(
    "E0600",
    "`abort` outside a `txn` body",
    "`abort` rolls back a transaction, so it must be inside a `txn { }` body (not in its `else`, not outside).",
    "service s {\n  fn f() {\n    abort\n  }\n}",
    "Move it into a `txn` body, or use `fail`/`return`.",
  ),
  spawnInTxn: e(
    "E0601",
    "`spawn` inside a transaction",
    "Asynchronous work is outside any transaction: `spawn` is not allowed in a `txn` body, nor in any fn the body reaches through `call`s or inline calls.",
    "service s {\n  fn g() { }\n  fn f() {\n    txn {\n      spawn s.g()\n    }\n  }\n}",
    "Spawn after the `txn` block (or in its `else`).",
  ),
  scanInTxn: e(
    "E0602",
    "`scan` inside a transaction",
    "`scan` is not isolated, so it is not allowed in a `txn` body, nor in any fn the body reaches.",
    "type C = { n: number }\nservice s {\n  table cs: C\n  fn f() {\n    txn {\n      let all = scan cs\n    }\n  }\n}",
    "Scan before the `txn` block, and read the keys you need inside it.",
  ),
  parallelInTxn: e(
    "E0603",
    "`parallel` inside a transaction",
    "`parallel` is not allowed in a `txn` body, nor in any fn the body reaches.",
    "service s {\n  fn g() { }\n  fn f() {\n    txn {\n      parallel {\n        call s.g()\n        call s.g()\n      }\n    }\n  }\n}",
    "Run the statements one after the other inside the transaction.",
  ),
  nestedTxn: e(
    "E0604",
    "nested `txn`",
    "A `txn` is not allowed inside a `txn` body, nor in any fn the body reaches (a called fn's operations already join the caller's transaction).",
    "service s {\n  fn f() {\n    txn {\n      txn { }\n    }\n  }\n}",
    "Remove the inner `txn`: its operations are part of the outer transaction.",
  ),
  jumpOutOfTxn: e(
    "E0605",
    "`break`/`continue` leaves a `txn` body",
    "A transaction body ends by reaching its end, `return`, `abort` or `fail`; `break` and `continue` may not jump out of it.",
    "service s {\n  fn f() {\n    while true {\n      txn { break }\n    }\n  }\n}",
    "Set a `var` in the body and test it after the block.",
  ),
  signalInTxn: e(
    "E0606",
    "`signal` inside a transaction",
    "`signal` delivers a value to another instance at once and cannot be rolled back, so like `spawn` it is not allowed in a `txn` body, nor in any fn the body reaches through `call`s or inline calls.",
    'service s {\n  fn f(id: string) {\n    txn {\n      signal(id, "go", 1)\n    }\n  }\n}',
    "Signal after the `txn` block (or in its `else`).",
  ),
  suspendInTxn: e(
    "E0607",
    "`sleep` or `wait` inside a transaction",
    "A transaction holds its locks until it commits, so it may not pause: `sleep` and `wait` are not allowed in a `txn` body, nor in any fn the body reaches through inline calls (a `call` that reaches one is E0900).",
    "service s {\n  fn f() {\n    txn {\n      sleep 1000\n    }\n  }\n}",
    "Sleep or wait before the `txn` block, or after it.",
  ),

  // ---- parallel -----------------------------------------------------------------------------
  parallelAssignOuter: e(
    "E0700",
    "`parallel` branch assigns an outer `var`",
    "Branches of `parallel` run concurrently; assigning a `var` declared outside the block would race.",
    "service s {\n  fn g() -> number { return 1 }\n  fn f() {\n    var n = 0\n    parallel {\n      n = call s.g()\n      call s.g()\n    }\n  }\n}",
    "Bind the result with `let` in the branch (it is visible after the block) and assign after it.",
  ),
  parallelSibling: e(
    "E0701",
    "`parallel` branch uses a sibling's name",
    "A `let` made by one branch of `parallel` is visible after the block, not in the other branches (they run concurrently).",
    "service s {\n  fn g(n: number) -> number { return n }\n  fn f() {\n    parallel {\n      let a = call s.g(1)\n      let b = call s.g(a)\n    }\n  }\n}",
    "Use the name after the block, or put the dependent statements in one branch (a block `if true { ... }`) or in sequence.",
  ),
  parallelJump: e(
    "E0702",
    "`break`/`continue`/`return`/`abort` in a `parallel` branch",
    "A branch of `parallel` cannot leave the block: it may not contain `break`, `continue` (except in its own loops), `return` or `abort`.",
    "service s {\n  fn g() { }\n  fn f() {\n    parallel {\n      call s.g()\n      return\n    }\n  }\n}",
    "Bind results with `let` in the branches and decide after the block; use `fail` to fail the fn.",
  ),
  parallelVar: e(
    "E0703",
    "`var` as a `parallel` branch",
    "A branch's binding is visible after the block as an immutable `let`; a `var` branch cannot be assigned anywhere safely.",
    "service s {\n  fn f() {\n    parallel {\n      var a = 1\n      let b = 2\n    }\n  }\n}",
    "Use `let` in the branch, and copy into a `var` after the block if needed.",
  ),
  suspendInParallel: e(
    "E0704",
    "`sleep` or `wait` in a `parallel` branch",
    "A suspended instance resumes where it paused, one place at a time, so `sleep` and `wait` may not stand in a branch of `parallel`, nor in a fn a branch inlines.",
    "service s {\n  fn g() { }\n  fn f() {\n    parallel {\n      sleep 1000\n      call s.g()\n    }\n  }\n}",
    "Sleep or wait before or after the `parallel` block; `spawn` the work that must wait on its own.",
  ),

  // ---- durable waiting ----------------------------------------------------------------------
  suspendUnderCall: e(
    "E0900",
    "`sleep` or `wait` reached by `call`",
    "`sleep` and `wait` suspend their instance, and a synchronous caller cannot be left hanging: they may stand only in fns that are never reached by `call` (entry fns that clients invoke, and fns that are `spawn`ed). A `call` of a fn that sleeps or waits, directly or through its inline calls of fns of its service, is refused; the message names the path.",
    'service b {\n  fn g() -> number? {\n    return wait "paid" as number\n  }\n}\nservice a {\n  fn f() -> number? {\n    return call b.g()\n  }\n}',
    "`spawn` the fn instead of calling it (and `signal` back what it has to say), or move the `sleep`/`wait` into the entry fn that calls it.",
  ),

  // ---- internal -----------------------------------------------------------------------------
  unsupported: e(
    "E0998",
    "not supported by the code generator",
    "The program is valid, but the code generator cannot translate one of its constructs yet. This is a limitation of the compiler, not a mistake in the program.",
    "(no example: it depends on the code generator's current limits)",
    "Please report it; meanwhile, expressing the same thing with other constructs may avoid it.",
  ),
  internal: e(
    "E0999",
    "internal compiler error",
    "The compiler failed on this program: this is a bug in the compiler, not in the program.",
    "(no example: any program that triggers it is a compiler bug)",
    "Please report it with the program that triggers it; meanwhile, rewriting the named declaration may avoid it.",
  ),

  // ---- warnings -----------------------------------------------------------------------------
  unreachable: w(
    "W0001",
    "unreachable code",
    "A statement follows a `return`, `fail`, `abort`, `break` or `continue` (or an `if` whose branches all end in one) and never runs.",
    "service s {\n  fn f() -> number {\n    return 1\n    let x = 2\n  }\n}",
    "Remove the statement, or move it before the jump.",
  ),
  noEffect: w(
    "W0002",
    "expression has no effect",
    "An expression statement computes a value without any effect (no `call`, `spawn`, table operation or logged value) and throws it away.",
    "service s {\n  fn f(n: number) {\n    n + 1\n  }\n}",
    "Bind it with `let`, or remove it.",
  ),
} satisfies Record<string, DiagnosticEntry>;

/**
 * Diagnostics of what a program refers to outside its .beldi files: the modules of its externs.
 * `check` (compiler/index.ts) finds them on disk; `checkProgram` does not touch the disk, so
 * they are not in CHECK (whose examples are checked without files).
 */
export const LINK = {
  externNotFound: e(
    "E0800",
    "extern module not found",
    "The file an `extern` is imported `from` does not exist (or cannot be read). The path is relative to the .beldi " +
      "file that declares the extern; a `.js` path also finds the `.ts` file of that name, and a path without an " +
      "extension finds `.ts`, `.mts`, `.js` and `.mjs` files.",
    'extern fn nearest(x: number) -> number from "./no-such-file.ts"',
    "Fix the path (relative to the .beldi file), or add the module.",
  ),
  externNotExported: e(
    "E0801",
    "extern not exported by its module",
    "The module of an `extern` exists but has no export of the extern's name (a function, or a `const` holding one): " +
      "the bundler could not link the call.",
    'extern fn nearest(x: number) -> number from "./geo.ts"   // geo.ts exports `closest`, not `nearest`',
    "Export the function under the extern's name (`export function nearest(...)`), or rename the extern to match.",
  ),
} satisfies Record<string, DiagnosticEntry>;

/**
 * Every diagnostic of the compiler by code (`ALL_DIAGNOSTICS.E0107`), in code order: syntax
 * errors, the checker's errors, then warnings.
 */
export const ALL_DIAGNOSTICS: Record<string, DiagnosticEntry> = Object.fromEntries(
  [
    ...Object.values(SYNTAX as Record<string, DiagnosticEntry>),
    ...Object.values(CHECK as Record<string, DiagnosticEntry>),
    ...Object.values(LINK as Record<string, DiagnosticEntry>),
  ]
    .sort((a, b) => compareCodeUnits(sortKey(a.code), sortKey(b.code)))
    .map((d) => [d.code, d]),
);

function sortKey(code: string): string {
  // errors before warnings, then by number
  return (code.startsWith("E") ? "0" : "1") + code;
}
