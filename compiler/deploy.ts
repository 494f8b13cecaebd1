// IR -> a CloudFormation template (DESIGN.md §5): per service a Lambda with retries off, its
// tables on on-demand billing (user data retained and recoverable to a point in time), the
// intent collector on a schedule, and IAM scoped to the requests the service's runtime makes:
// its own tables, its callees, and the cross-service bookkeeping of spawns, GC and transactions.
import { sendsSignals, suspendingServices } from "./waiting.js";
import { checkTiming } from "../contract/timing.js";
import { TOMBSTONE_EXPIRES, tableNames, versionAlias } from "../contract/schema.js";
import type { IrFn, IrProgram, IrService } from "./ir.js";
import { appTables, createTableInput, type TableSpec } from "./tables.js";

/** The Lambda runtimes a build may target, with the Node.js major version each runs. */
export const LAMBDA_RUNTIMES = { "nodejs22.x": 22, "nodejs24.x": 24 } as const;
export type LambdaRuntime = keyof typeof LAMBDA_RUNTIMES;
export const DEFAULT_LAMBDA_RUNTIME: LambdaRuntime = "nodejs24.x";

/** A build option with a value the build cannot use (the CLI reports it as bad usage, exit 2). */
export class BuildOptionError extends Error {
  constructor(
    /** the option's name in the compiler API (its CLI flag is the same in kebab case) */
    readonly option: string,
    readonly value: unknown,
    /** the values it takes */
    readonly allowed: readonly string[],
  ) {
    super(`${option} must be one of ${allowed.join(", ")}; got ${JSON.stringify(value)}`);
    this.name = "BuildOptionError";
  }
}

/** The Lambda runtime a build asked for (the default when absent); anything else is a BuildOptionError. */
export function lambdaRuntime(value: unknown): LambdaRuntime {
  if (value === undefined) return DEFAULT_LAMBDA_RUNTIME;
  if (typeof value === "string" && Object.hasOwn(LAMBDA_RUNTIMES, value)) return value as LambdaRuntime;
  throw new BuildOptionError("lambdaRuntime", value, Object.keys(LAMBDA_RUNTIMES));
}

export interface DeployOptions {
  /** the functions' Lambda runtime (default nodejs24.x) */
  lambdaRuntime?: LambdaRuntime;
  /**
   * Keep the log and intent tables when the stack is deleted or they are replaced (Retain, with
   * point-in-time recovery), as user data always is. Default off: they are deleted with the stack.
   */
  retainLogs?: boolean;
  /**
   * The deployed version this one replaces: its instances still run (pinned to it) with the
   * same roles, so each role also allows what that version's code asks for.
   */
  previous?: IrProgram;
}

/** The alias clients may invoke for the current version (unqualified, `$LATEST`, is the same code). */
export const LIVE_ALIAS = "live";

/** A function's timeout; the collection window T exceeds it plus the store request timeout. */
const TIMEOUT_S = 60;
const REQUEST_TIMEOUT_MS = 10_000;
const WINDOW_MS = 3 * TIMEOUT_S * 1000;

const logicalId = (...parts: string[]) => parts.map((p) => p.replace(/[^A-Za-z0-9]/g, "")).join("");
const sub = (s: string) => ({ "Fn::Sub": s });

function tableResource(t: TableSpec, retainLogs: boolean) {
  const input = createTableInput(t);
  // User data outlives the stack and can be restored to any second of the last 35 days; logs and
  // intents are the runtime's bookkeeping, kept only when asked for.
  const keep = t.kind === "data" || retainLogs;
  const policy = keep ? "Retain" : "Delete";
  return {
    Type: "AWS::DynamoDB::Table",
    DeletionPolicy: policy,
    UpdateReplacePolicy: policy,
    Properties: {
      ...input,
      TableName: sub(input.TableName),
      ...(keep ? { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } } : {}),
      // a collected instance's tombstone expires on its own (GC sets XP to 7 days on)
      ...(t.kind === "intent" ? { TimeToLiveSpecification: { AttributeName: TOMBSTONE_EXPIRES, Enabled: true } } : {}),
    },
  };
}

/** Services a service invokes (call or spawn), and those it spawns. */
function callees(s: IrService): { invokes: Set<string>; spawns: Set<string> } {
  const invokes = new Set<string>();
  const spawns = new Set<string>();
  for (const fn of s.fns) {
    for (const c of fn.effects.calls) invokes.add(c.split(".")[0]!);
    for (const c of fn.effects.spawns) {
      invokes.add(c.split(".")[0]!);
      spawns.add(c.split(".")[0]!);
    }
  }
  return { invokes, spawns };
}

/** The "service.fn" targets of the `call`s (and the fns of the `inline` calls) anywhere in an IR subtree. */
function callsIn(node: unknown, service: string, out: { calls: Set<string>; inlines: Set<string> }): void {
  if (Array.isArray(node)) {
    for (const x of node) callsIn(x, service, out);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  // The IR is plain JSON: call and inline expressions are the only nodes of these kinds.
  const n = node as { kind?: unknown; service?: unknown; fn?: unknown };
  if (n.kind === "call" && typeof n.service === "string" && typeof n.fn === "string") out.calls.add(`${n.service}.${n.fn}`);
  if (n.kind === "inline" && typeof n.fn === "string") out.inlines.add(`${service}.${n.fn}`);
  for (const v of Object.values(node)) callsIn(v, service, out);
}

/**
 * Who takes part in whose transactions. A transaction is owned by the service whose fn runs the
 * `txn` block (the attempt id names it, and its decision is logged there); its participants
 * are the services whose fns run inside the body: called from it, transitively through sync
 * calls (a `txn` body cannot spawn). Only a participant with tables takes locks, and only a
 * lock holder is sent the transaction's end (runtime/txn.ts endsByService) or asks the
 * owner's log whether a left-over lock's attempt is over (runtime/stale-locks.ts).
 * Returns, per owner, the other services that hold its transactions' locks.
 */
export function txnParticipants(ir: IrProgram): Map<string, Set<string>> {
  const fns = new Map<string, { service: IrService; fn: IrFn }>(
    ir.services.flatMap((s) => s.fns.map((f) => [`${s.name}.${f.name}`, { service: s, fn: f }] as const)),
  );
  const out = new Map<string, Set<string>>();
  for (const s of ir.services) {
    for (const f of s.fns) {
      const txns: unknown[] = [];
      const findTxns = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(findTxns);
        else if (typeof node === "object" && node !== null) {
          const txn = node as { kind?: unknown; body?: unknown; else?: unknown };
          // a txn's body holds no txn; its `else` runs outside it and may
          if (txn.kind === "txn") {
            txns.push(txn.body);
            findTxns(txn.else);
          } else Object.values(node).forEach(findTxns);
        }
      };
      findTxns(f.body);
      for (const body of txns) {
        const found = { calls: new Set<string>(), inlines: new Set<string>() };
        callsIn(body, s.name, found);
        // everything a fn run inside the body calls runs inside it too (effects.calls: through its inline calls)
        const inside = [...found.calls, ...[...found.inlines].flatMap((g) => fns.get(g)?.fn.effects.calls ?? [])];
        const seen = new Set<string>();
        for (let i = 0; i < inside.length; i++) {
          const key = inside[i]!;
          if (seen.has(key)) continue;
          seen.add(key);
          const callee = fns.get(key);
          if (!callee) continue;
          if (callee.service.name !== s.name && callee.service.tables.length) {
            if (!out.has(s.name)) out.set(s.name, new Set());
            out.get(s.name)!.add(callee.service.name);
          }
          inside.push(...callee.fn.effects.calls);
        }
      }
    }
  }
  return out;
}

/**
 * This build as a published Lambda version of the service's function, with an alias per app
 * version (`v<codeVersion>`: what the runtime invokes for an instance pinned to it) and the
 * `live` alias for the current one. Versions and their aliases are retained when a later
 * deploy drops them from the template: instances pinned to them still run there, until
 * `beldi versions` shows none and they are deleted by hand.
 */
function versionResources(ir: IrProgram, service: string, fn: string): Record<string, unknown> {
  const retained = { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" };
  const version = logicalId(service, "Version", ir.codeVersion);
  const alias = logicalId(service, "Alias", ir.codeVersion);
  const description = `Beldi app ${ir.app}, version ${ir.codeVersion}`;
  const published = { "Fn::GetAtt": [version, "Version"] };
  return {
    [version]: { Type: "AWS::Lambda::Version", ...retained, Properties: { FunctionName: { Ref: fn }, Description: description } },
    [alias]: {
      Type: "AWS::Lambda::Alias",
      ...retained,
      Properties: { FunctionName: { Ref: fn }, FunctionVersion: published, Name: versionAlias(ir.codeVersion), Description: description },
    },
    // Lambda's retries off for events to the version too (spawns and re-sends go there)
    [logicalId(service, "InvokeConfig", ir.codeVersion)]: {
      Type: "AWS::Lambda::EventInvokeConfig",
      ...retained,
      DependsOn: alias,
      Properties: {
        FunctionName: { Ref: fn },
        Qualifier: versionAlias(ir.codeVersion),
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 60,
      },
    },
    [logicalId(service, "LiveAlias")]: {
      Type: "AWS::Lambda::Alias",
      Properties: { FunctionName: { Ref: fn }, FunctionVersion: published, Name: LIVE_ALIAS, Description: "the current version" },
    },
  };
}

/**
 * Each role of `next` also allows what the role of the same name in `prev` does: the previous
 * version's instances run, pinned to it, under the same roles until they finish.
 */
function withPreviousRoles(next: Record<string, unknown>, prev: Record<string, unknown>): void {
  type Role = { Type: string; Properties: { Policies: { PolicyDocument: { Statement: unknown[] } }[] } };
  for (const [id, r] of Object.entries(prev)) {
    const old = r as Role;
    const now = next[id] as Role | undefined;
    if (old.Type !== "AWS::IAM::Role" || now?.Type !== "AWS::IAM::Role") continue;
    const statements = now.Properties.Policies[0]!.PolicyDocument.Statement;
    const have = new Set(statements.map((x) => JSON.stringify(x)));
    for (const st of old.Properties.Policies[0]!.PolicyDocument.Statement) if (!have.has(JSON.stringify(st))) statements.push(st);
  }
}

export function deployTemplate(ir: IrProgram, options: DeployOptions = {}): Record<string, unknown> {
  // Never write a template whose window the runtime would refuse (and live executions could outlive).
  checkTiming({ windowMs: WINDOW_MS, timeoutMs: TIMEOUT_S * 1000, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  const runtime = lambdaRuntime(options.lambdaRuntime);
  const retainLogs = options.retainLogs === true;
  const P = "${Prefix}";
  const resources: Record<string, unknown> = {};
  const arn = (table: string) => sub(`arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${table}`);
  const fnArn = (service: string, qualifier = "") =>
    sub(`arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${P}${ir.app}-${service}${qualifier}`);

  // The key the functions sign internal envelopes with (calls, spawns, re-sends): generated
  // per stack, readable by the functions' configuration only, never by clients.
  const envelopeKey = "EnvelopeKey";
  resources[envelopeKey] = {
    Type: "AWS::SecretsManager::Secret",
    Properties: {
      Name: sub(`${P}${ir.app}-envelope-key`),
      Description: "Beldi: signs the internal envelopes of this app's functions",
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    },
  };

  const specs = appTables(ir, P);
  const participants = txnParticipants(ir);
  for (const s of ir.services) {
    for (const t of specs.filter((x) => x.service === s.name)) {
      resources[logicalId(t.name.slice(P.length), "Table")] = tableResource(t, retainLogs);
    }
    const own = [
      ...s.tables.map((t) => tableNames.data(P, ir.app, s.name, t.name)),
      tableNames.log(P, ir.app, s.name),
      tableNames.intent(P, ir.app, s.name),
    ];

    const { invokes, spawns } = callees(s);
    // (its own intents are among its own tables)
    const spawnsElsewhere = [...spawns].filter((c) => c !== s.name);
    // a signal is delivered into the intent of a waiting service's instance, which it then wakes
    const signalled = sendsSignals(s) ? suspendingServices(ir) : [];
    const signalledElsewhere = signalled.filter((c) => c !== s.name);
    // the owners of the transactions this service holds locks for
    const owners = ir.services.filter((o) => participants.get(o.name)?.has(s.name)).map((o) => o.name);
    // the lock holders of its own transactions, which it sends their ends
    const holders = [...(participants.get(s.name) ?? [])];
    const role = logicalId(s.name, "Role");
    resources[role] = {
      Type: "AWS::IAM::Role",
      Properties: {
        AssumeRolePolicyDocument: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        },
        ManagedPolicyArns: [sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")],
        Policies: [
          {
            PolicyName: "beldi",
            PolicyDocument: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: [
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:Query",
                    "dynamodb:Scan",
                    "dynamodb:BatchGetItem",
                    "dynamodb:BatchWriteItem",
                  ],
                  // every request the runtime sends goes to a table of its own
                  Resource: own.map((t) => arn(t)),
                },
                // GC and the collector find their work through indexes, by Query only
                { Effect: "Allow", Action: ["dynamodb:Query"], Resource: own.map((t) => arn(`${t}/index/*`)) },
                // GC and the stale-lock check look up call-tree roots in every service's
                // intents, in batches (runtime/roots.ts), read only.
                ...(ir.services.length > 1
                  ? [
                      {
                        Effect: "Allow",
                        Action: ["dynamodb:BatchGetItem"],
                        Resource: ir.services.filter((x) => x.name !== s.name).map((x) => arn(tableNames.intent(P, ir.app, x.name))),
                      },
                    ]
                  : []),
                // A lock on this service's keys may be held by a transaction another service
                // owns: when it looks left behind, the owner's log says whether it is over.
                // Only the owners of transactions this service takes part in.
                ...(owners.length
                  ? [
                      {
                        Effect: "Allow",
                        Action: ["dynamodb:Query"],
                        Resource: owners.map((o) => arn(tableNames.log(P, ir.app, o))),
                      },
                    ]
                  : []),
                // A caller registers a spawned callee's intent before sending its event.
                ...(spawnsElsewhere.length
                  ? [
                      {
                        Effect: "Allow",
                        Action: ["dynamodb:PutItem", "dynamodb:GetItem"],
                        Resource: spawnsElsewhere.map((c) => arn(tableNames.intent(P, ir.app, c))),
                      },
                    ]
                  : []),
                // A `signal` finds its instance among the waiting services' intents (BatchGetItem
                // above) and writes the signal into it (a conditional UpdateItem, read back on a retry).
                ...(signalledElsewhere.length
                  ? [
                      {
                        Effect: "Allow",
                        Action: "dynamodb:UpdateItem",
                        Resource: signalledElsewhere.map((c) => arn(tableNames.intent(P, ir.app, c))),
                      },
                    ]
                  : []),
                // (GetItem only where a spawn did not already grant it)
                ...(signalledElsewhere.some((c) => !spawnsElsewhere.includes(c))
                  ? [
                      {
                        Effect: "Allow",
                        Action: "dynamodb:GetItem",
                        Resource: signalledElsewhere
                          .filter((c) => !spawnsElsewhere.includes(c))
                          .map((c) => arn(tableNames.intent(P, ir.app, c))),
                      },
                    ]
                  : []),
                // Its callees; the lock holders of its transactions, which it sends their ends (a
                // callee's callee among them); the waiting services it signals, whose instances it
                // wakes; and itself: the intent collector re-sends its own unfinished intents and
                // wakes its suspended ones.
                {
                  Effect: "Allow",
                  Action: "lambda:InvokeFunction",
                  // every version: an instance's callees, spawns and re-sends run on its own (alias v<version>)
                  Resource: [...new Set([...invokes, ...holders, ...signalled, s.name])].flatMap((x) => [fnArn(x), fnArn(x, ":*")]),
                },
              ],
            },
          },
        ],
      },
    };

    const fn = logicalId(s.name, "Function");
    resources[fn] = {
      Type: "AWS::Lambda::Function",
      Properties: {
        FunctionName: sub(`${P}${ir.app}-${s.name}`),
        Runtime: runtime,
        Handler: "index.handler",
        Code: `${s.name}/`,
        Timeout: TIMEOUT_S,
        MemorySize: 512,
        Role: { "Fn::GetAtt": [role, "Arn"] },
        Environment: {
          Variables: {
            BELDI_APP: ir.app,
            BELDI_PREFIX: { Ref: "Prefix" },
            BELDI_WINDOW_MS: String(WINDOW_MS),
            // the runtime also keeps to what Lambda says is left (context.getRemainingTimeInMillis)
            BELDI_TIMEOUT_MS: String(TIMEOUT_S * 1000),
            BELDI_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
            BELDI_RETURNS_OLD: "true",
            BELDI_ENVELOPE_KEY: sub(`{{resolve:secretsmanager:\${${envelopeKey}}:SecretString}}`),
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
            // stack traces name .beldi lines through index.mjs.map (read only when a trace is formatted)
            NODE_OPTIONS: "--enable-source-maps",
          },
        },
      },
    };
    // Lambda's own retries are off: the intent collector is the only retry.
    resources[logicalId(s.name, "InvokeConfig")] = {
      Type: "AWS::Lambda::EventInvokeConfig",
      Properties: { FunctionName: { Ref: fn }, Qualifier: "$LATEST", MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
    };
    Object.assign(resources, versionResources(ir, s.name, fn));
    // The collector also wakes suspended instances (`sleep`, a `wait`'s timeout): on AWS a
    // wake-up is late by up to this rate; a signal wakes its instance at once.
    const rule = logicalId(s.name, "CollectorSchedule");
    resources[rule] = {
      Type: "AWS::Events::Rule",
      Properties: {
        ScheduleExpression: "rate(1 minute)",
        Targets: [{ Id: "collector", Arn: { "Fn::GetAtt": [fn, "Arn"] }, Input: JSON.stringify({ beldi: { kind: "collect" } }) }],
      },
    };
    resources[logicalId(s.name, "CollectorPermission")] = {
      Type: "AWS::Lambda::Permission",
      Properties: {
        FunctionName: { Ref: fn },
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        SourceArn: { "Fn::GetAtt": [rule, "Arn"] },
      },
    };
    // GC once per window: it collects what finished more than a window ago.
    const gcRule = logicalId(s.name, "GcSchedule");
    resources[gcRule] = {
      Type: "AWS::Events::Rule",
      Properties: {
        ScheduleExpression: `rate(${WINDOW_MS / 60_000} minutes)`,
        Targets: [{ Id: "gc", Arn: { "Fn::GetAtt": [fn, "Arn"] }, Input: JSON.stringify({ beldi: { kind: "gc" } }) }],
      },
    };
    resources[logicalId(s.name, "GcPermission")] = {
      Type: "AWS::Lambda::Permission",
      Properties: {
        FunctionName: { Ref: fn },
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        SourceArn: { "Fn::GetAtt": [gcRule, "Arn"] },
      },
    };
  }

  if (options.previous) {
    const prev = deployTemplate(options.previous, { ...options, previous: undefined }) as { Resources: Record<string, unknown> };
    withPreviousRoles(resources, prev.Resources);
  }
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `Beldi app ${ir.app} (code version ${ir.codeVersion})`,
    Parameters: { Prefix: { Type: "String", Default: "", Description: "prepended to every table and function name" } },
    Resources: resources,
  };
}
