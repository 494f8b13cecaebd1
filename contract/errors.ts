// Runtime error codes (R + 4 digits), each a deterministic failure of an invocation: it is
// recorded as the instance's result and returned as { ok: false, error: { code, message } }.
// docs/errors.md documents every entry. A code is never reused for another meaning.

export interface RuntimeErrorEntry {
  code: string;
  title: string;
  explain: string;
  fix: string;
}

export const RUNTIME_ERRORS = {
  fail: {
    code: "R0001",
    title: "failed by the program",
    explain: "The fn ran `fail e` (or a `call` it made failed with it). The message is the program's.",
    fix: "This is the program's own decision; handle it in the client, or change the condition that fails.",
  },
  badPayload: {
    code: "R0002",
    title: "payload does not match the parameters",
    explain:
      "The invocation's payload is not `{ fn, instanceId, input }` with an `input` object that has one property of the right type per parameter. Nothing ran.",
    fix: "Send `input` with exactly the fn's parameters and types (see the manifest or the .beldi source).",
  },
  updateMissing: {
    code: "R0003",
    title: "update of a missing value",
    explain: "A plain `update` (without `where`, and not setting every required field) found no value under the key.",
    fix: "Write the value first, add `where exists(f)` to make the update conditional, or set every required field so it creates the value.",
  },
  nonFinite: {
    code: "R0004",
    title: "number is not finite",
    explain: "An arithmetic result was infinite or not a number (division by zero, overflow). The store cannot hold it.",
    fix: "Guard the division or the range of the operands before computing.",
  },
  badKey: {
    code: "R0005",
    title: "key is empty or too long",
    explain: "Table keys must be non-empty strings of at most 1024 bytes (UTF-8).",
    fix: 'Check the key before using it: `if len(k) == 0 { fail "..." }`.',
  },
  tooLarge: {
    code: "R0006",
    title: "value too large for the store",
    explain:
      "A written value exceeds 350 KB (a data row holds the value with its log entries and lock in the store's 400 KB item), a transaction writes more than 380 KB in all, or a value to log exceeds 6 MB. Values read are logged whatever their size (large ones in pieces).",
    fix: "Keep values small: split large records across keys or tables.",
  },
  payloadTooLarge: {
    code: "R0007",
    title: "payload or result too large",
    explain:
      "A client's or spawn's input, or a fn's result, exceeds 350 KB (an instance keeps its input in its intent and its result in one store item), or a payload exceeds the invoke API's limit (6 MB synchronous, 256 KB for spawn).",
    fix: "Pass keys instead of large values, and read the values in the callee.",
  },
  instanceReused: {
    code: "R0008",
    title: "instance id reused for a different invocation",
    explain: "An instance id names exactly one invocation: the same id was used before with another fn or input.",
    fix: "Use a fresh instance id for every distinct request; reuse it only to retry the same request.",
  },
  absentField: {
    code: "R0009",
    title: "arithmetic on an absent stored field",
    explain: "`update ... set n = n + e` (or an append) found no stored `n`.",
    fix: "Start from a default: `set n = (n ?? 0) + e`.",
  },
  unknownFn: {
    code: "R0010",
    title: "unknown fn",
    explain: "The invocation names a fn that the service does not have.",
    fix: "Check the fn name against the service's source or manifest.",
  },
  badInstanceId: {
    code: "R0011",
    title: "invalid instance id",
    explain: "Instance ids are 1 to 128 characters of `A-Z a-z 0-9 _ . : -`.",
    fix: "Use a UUID or another id in that alphabet.",
  },
  numberRange: {
    code: "R0012",
    title: "number out of the store's range",
    explain: "The store holds numbers of magnitude up to 9.99e125 with 38 significant digits; this one is outside.",
    fix: "Keep numbers within the range, or store them as strings.",
  },
  storeRejected: {
    code: "R0013",
    title: "the store rejected the operation",
    explain:
      "The store refused an operation for a reason the program controls, e.g. a stored field has another type than the program expects (data written by an older version).",
    fix: "Read the message; migrate or delete the offending value.",
  },
  txnConflict: {
    code: "R0014",
    title: "transaction conflict (internal)",
    explain:
      "A call inside a transaction lost a lock conflict (wait-die); its transaction restarts. Users never see this code: the transaction retries, then takes its `else` branch.",
    fix: "Nothing to do; if transactions often end in `else`, make them touch fewer keys or hold locks for less time.",
  },
  deadline: {
    code: "R0015",
    title: "the invocation did not finish within its deadline",
    explain:
      "The execution reached its timeout (the function's timeout, `timeoutMs` on the local stack) and stopped, as a crash would: nothing is recorded as its result. Every step it completed stays done exactly once; the intent collector finishes the instance after the collection window.",
    fix: "Retry with the same instance id to get the result (the retry finishes the instance). If it happens often, raise the timeout (and the window with it) or make the fn do less per invocation.",
  },
  collected: {
    code: "R0016",
    title: "instance finished and was garbage-collected",
    explain:
      "This instance id was used for the same invocation before, which finished more than a collection window ago; its result is no longer kept. Nothing ran again.",
    fix: "Retry within the collection window to get the recorded result; use a fresh instance id for a new request.",
  },
  unavailable: {
    code: "R0018",
    title: "a callee or the store kept failing",
    explain:
      "The execution stopped, as a crash would, because a service it calls kept failing (crashed, throttled, unreachable), the store kept refusing (throttles, outages), or a key stayed locked by a transaction for too long. Nothing is recorded as its result; every step it completed stays done exactly once, and the intent collector finishes the instance after the collection window.",
    fix: "Retry with the same instance id later. If it persists, look at the callee's errors or the store's capacity.",
  },
  badTiming: {
    code: "R0017",
    title: "the collection window is not longer than the timeouts",
    explain:
      "The intent collector and GC act on an instance once the window T has passed; that is safe only if no execution (timeout) nor a request it sent (request timeout) can outlive T. A configuration with T <= timeout + request timeout is refused.",
    fix: "Raise `windowMs` above `timeoutMs + requestTimeoutMs`, or lower the timeouts.",
  },
  invalidText: {
    code: "R0020",
    title: "text that is not Unicode",
    explain:
      "A string (or map key) to be stored holds a lone surrogate (half of a UTF-16 pair). The store keeps UTF-8 and would replace it with U+FFFD, so two different strings would become one. Nothing was written.",
    fix: "Send and build only well-formed text: never split a string between the two halves of a surrogate pair.",
  },
  unstorable: {
    code: "R0021",
    title: "a value the store cannot hold",
    explain: `A value to be stored (written, logged, or a result) is nested more than 24 levels deep, or has a map key that is empty. DynamoDB allows 32 levels in an item and no empty names; the runtime keeps room for its own bookkeeping and checks before anything is written, on every store alike.`,
    fix: "Flatten deep structures (split them across keys), and give every map entry a non-empty key.",
  },
  resourceRefused: {
    code: "R0022",
    title: "a table or function that is missing or not permitted",
    explain:
      "The store or the Lambda Invoke API refused a request for a reason that retrying cannot fix: access denied (the function's role lacks the permission), a table or function that does not exist, or a request it rejects as invalid. The message names the resource. The invocation fails at once and is recorded as failed, so the intent collector does not retry it; what it did before stays done, once.",
    fix: "Deploy the missing table or function, or grant the permission (the template `beldi build` writes grants what the app needs), then invoke again with a new instance id.",
  },
  forgedEnvelope: {
    code: "R0019",
    title: "internal envelope fields from a client",
    explain:
      "The payload carries a `beldi` field (how the app's own functions call, spawn, recover and end transactions) without a valid signature of the app's envelope key: only the app's functions may send those. Nothing ran.",
    fix: "Send `{ fn, instanceId, input }` only. The runtime derives the ids and envelopes of calls, spawns and retries itself.",
  },
  signalType: {
    code: "R0023",
    title: "a signal's value does not fit the wait",
    explain:
      'A `wait "name" as T` consumed a signal whose value is not a `T`. Signals are checked when a wait takes them (the sender does not know the type): the first value sent under a name stays, so every execution of the waiting instance fails the same way.',
    fix: "Send the signal with a value of the type the `wait` names (the CLI checks nothing: compare with the .beldi source), or widen the wait's type.",
  },
  unknownInstance: {
    code: "R0024",
    title: "no such instance to signal",
    explain:
      "A signal from outside (`beldi signal`, `stack.signal`, or a `{ signal: … }` payload) named an instance id that the service has no record of, or one finished long enough ago that GC collected it. Nothing was delivered.",
    fix: "Use the id a client invocation was given, or the one `spawn` returned; signal the service whose fn the instance runs.",
  },
  badSignal: {
    code: "R0025",
    title: "a signal name or value that cannot be kept",
    explain:
      "A signal's name must be 1 to 200 characters, and its value a storable value of at most 64 KB: it is kept in the receiving instance's record until the instance is collected.",
    fix: "Use a short literal name, and send keys rather than large values.",
  },
  wrongType: {
    code: "R0026",
    title: "a value of another type than its table declares",
    explain:
      "A `write` or `update` would store a value whose type is not the one the table declares. The checker lets `any` values (unchecked JSON) and extern fns' results pass as any type, so the write checks them: nothing was written.",
    fix: "Check an `any` value before storing it as a typed one (compare it, or pass it through a typed parameter), or fix the extern fn's result.",
  },
  threw: {
    code: "R0027",
    title: "the fn's code threw",
    explain:
      "The fn's own code threw a JavaScript error: a member or element of an `any` value that is null or of another shape (`p.a.b` where `p.a` is null), a built-in given an `any` value of the wrong type, or an extern fn that threw. It would throw again on every execution, so it is the fn's result like `fail` (inside a `txn` the transaction aborts, without `else`); what the fn did before it stays done once.",
    fix: "Guard the value before using it (`p.a?.b`, `??`, a null or type check; or pass it through a typed parameter), or fix the extern fn. The message names the error and the .beldi line it was thrown at (found through the bundle's source map, `index.mjs.map` beside it, only when such a failure happens).",
  },
} satisfies Record<string, RuntimeErrorEntry>;

export type RuntimeErrorKind = keyof typeof RUNTIME_ERRORS;
