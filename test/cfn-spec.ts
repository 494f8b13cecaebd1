// A CloudFormation template checked against AWS's published resource specification (the npm
// package @aws-cdk/aws-service-spec: every resource type CloudFormation has, with its properties
// and their types, imported from the CloudFormation registry schemas), and its IAM policies'
// actions against the actions of their services. Each problem names the resource's logical id.
import { loadAwsServiceSpecSync } from "@aws-cdk/aws-service-spec";

type Db = ReturnType<typeof loadAwsServiceSpecSync>;
/** A property's type as the spec describes it (service-spec-types' PropertyType, structurally). */
type PropType =
  | { type: "string"; allowedValues?: string[] }
  | { type: "integer"; allowedValues?: number[] }
  | { type: "number" | "boolean" | "json" | "date-time" | "null" | "tag" }
  | { type: "ref"; reference: { $ref: string } }
  | { type: "array" | "map"; element: PropType }
  | { type: "union"; types: PropType[] };
type Props = Record<string, { type: PropType; required?: boolean }>;

let db: Db | undefined;
/** The spec's database (about 2 s to load: once per process). */
export function spec(): Db {
  return (db ??= loadAwsServiceSpecSync());
}

/**
 * IAM actions. @aws-cdk/aws-service-spec has no list of them (it describes CloudFormation
 * resources; a policy document is typed `json` there), nor does any AWS package in
 * node_modules or on npm that we found. So they are checked against this list, copied by hand
 * from AWS's Service Authorization Reference ("Actions, resources, and condition keys for
 * Amazon DynamoDB / AWS Lambda / AWS Security Token Service"): the actions of those services
 * that a Beldi template could use, not every action they have (DynamoDB's here are all API
 * operations: deploy-spec.test.ts checks each against the SDK's commands). An action of another service
 * is reported as unknown: extend the list from that reference when a template needs one.
 */
export const IAM_ACTIONS: Record<string, readonly string[]> = {
  dynamodb: [
    "BatchGetItem",
    "BatchWriteItem",
    "DeleteItem",
    "DescribeTable",
    "DescribeTimeToLive",
    "GetItem",
    "PutItem",
    "Query",
    "Scan",
    "UpdateItem",
  ],
  lambda: ["GetFunction", "InvokeFunction"],
  sts: ["AssumeRole"],
};

// Template-level attributes, from the CloudFormation User Guide ("DeletionPolicy attribute",
// "UpdateReplacePolicy attribute"); the spec describes resources' properties, not these.
const RESOURCE_KEYS = new Set(["Type", "Properties", "DeletionPolicy", "UpdateReplacePolicy", "DependsOn", "Metadata", "Condition"]);
const DELETION_POLICIES = new Set(["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"]);
const UPDATE_REPLACE_POLICIES = new Set(["Delete", "Retain", "Snapshot"]);
/** The resource types that take `Snapshot` (the same User Guide pages). */
const SNAPSHOT_TYPES = new Set([
  "AWS::DocDB::DBCluster",
  "AWS::EC2::Volume",
  "AWS::ElastiCache::CacheCluster",
  "AWS::ElastiCache::ReplicationGroup",
  "AWS::Neptune::DBCluster",
  "AWS::RDS::DBCluster",
  "AWS::RDS::DBInstance",
  "AWS::Redshift::Cluster",
]);

const INTRINSICS = /^(Ref|Fn::[A-Za-z]+)$/;
const isIntrinsic = (v: unknown): boolean =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && INTRINSICS.test(Object.keys(v)[0]!);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Problems with a value of type `t` at `path` (empty: it fits). Intrinsic functions fit anything. */
function checkValue(d: Db, t: PropType, v: unknown, path: string): string[] {
  if (isIntrinsic(v)) return [];
  switch (t.type) {
    case "string":
    case "date-time":
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return [`${path}: expected a string`];
      if (t.type === "string" && t.allowedValues && !t.allowedValues.includes(String(v)))
        return [`${path}: ${JSON.stringify(v)} is not one of ${t.allowedValues.join(", ")}`];
      return [];
    case "integer":
    case "number":
      return typeof v === "number" || (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)))
        ? []
        : [`${path}: expected a number`];
    case "boolean":
      return typeof v === "boolean" || v === "true" || v === "false" ? [] : [`${path}: expected a boolean`];
    case "json":
      return isObject(v) || Array.isArray(v) ? [] : [`${path}: expected a JSON object`];
    case "null":
      return v === null ? [] : [`${path}: expected null`];
    case "tag":
      return isObject(v)
        ? checkProps({ Key: { type: { type: "string" }, required: true }, Value: { type: { type: "string" } } }, v, path, d)
        : [`${path}: expected a tag`];
    case "ref": {
      if (!isObject(v)) return [`${path}: expected an object`];
      const def = d.get("typeDefinition", t.reference.$ref) as unknown as { properties: Props };
      return checkProps(def.properties, v, path, d);
    }
    case "array":
      return Array.isArray(v) ? v.flatMap((x, i) => checkValue(d, t.element, x, `${path}[${i}]`)) : [`${path}: expected a list`];
    case "map":
      return isObject(v) ? Object.entries(v).flatMap(([k, x]) => checkValue(d, t.element, x, `${path}.${k}`)) : [`${path}: expected a map`];
    case "union": {
      // The alternatives of the value's shape; free-form `json` only when no specific one has that
      // shape (KeySchema is "a list of KeySchema, or json": its items are checked as KeySchema).
      const shape = (x: PropType): string =>
        x.type === "array"
          ? "list"
          : x.type === "ref" || x.type === "map" || x.type === "tag"
            ? "object"
            : x.type === "json"
              ? "json"
              : "scalar";
      const of = Array.isArray(v) ? "list" : isObject(v) ? "object" : "scalar";
      const specific = t.types.filter((x) => shape(x) === of);
      const tries = specific.length ? specific : t.types.filter((x) => x.type === "json");
      if (!tries.length) return [`${path}: fits none of the property's types`];
      const results = tries.map((x) => checkValue(d, x, v, path));
      return results.some((r) => r.length === 0) ? [] : results[0]!;
    }
  }
}

/** Problems with an object of properties `props`: names it does not have, required ones missing, values. */
function checkProps(props: Props, v: Record<string, unknown>, path: string, d: Db): string[] {
  const out: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    const p = props[k];
    if (!p) out.push(`${path}.${k}: no such property`);
    else out.push(...checkValue(d, p.type, x, `${path}.${k}`));
  }
  for (const [k, p] of Object.entries(props)) if (p.required && !(k in v)) out.push(`${path}.${k}: required, missing`);
  return out;
}

/** Every IAM action a resource names: in its policy documents' statements, or as a Lambda permission's action. */
function actionsOf(type: string, props: Record<string, unknown>): { actions: string[]; problems: string[] } {
  const docs: unknown[] = [];
  if (type === "AWS::IAM::Role") {
    docs.push(props.AssumeRolePolicyDocument);
    for (const p of (props.Policies as { PolicyDocument?: unknown }[] | undefined) ?? []) docs.push(p.PolicyDocument);
  }
  if (type === "AWS::IAM::Policy" || type === "AWS::IAM::ManagedPolicy") docs.push(props.PolicyDocument);
  const actions: string[] = [];
  const problems: string[] = [];
  if (type === "AWS::Lambda::Permission" && typeof props.Action === "string") actions.push(props.Action);
  for (const doc of docs) {
    if (!isObject(doc)) continue;
    if (doc.Version !== "2012-10-17") problems.push(`policy Version ${JSON.stringify(doc.Version)} is not 2012-10-17`);
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    for (const st of statements as Record<string, unknown>[]) {
      if (st.Effect !== "Allow" && st.Effect !== "Deny") problems.push(`statement Effect ${JSON.stringify(st.Effect)}`);
      for (const key of ["Action", "NotAction"]) {
        const a = st[key];
        if (a !== undefined) actions.push(...(Array.isArray(a) ? a : [a]).map(String));
      }
    }
  }
  return { actions, problems };
}

/** Whether `action` (`service:Name`, `*` wildcards allowed) names at least one action in IAM_ACTIONS. */
export function knownAction(action: string): boolean {
  const m = /^([a-z0-9-]+):([A-Za-z0-9*?]+)$/.exec(action);
  if (!m) return false;
  const names = IAM_ACTIONS[m[1]!];
  if (!names) return false;
  const pattern = new RegExp(`^${m[2]!.replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return names.some((n) => pattern.test(n));
}

/**
 * What `aws cloudformation package` does to our template: a Lambda's `Code` that names a local
 * folder becomes the S3 location it uploaded the folder to. The spec describes the deployed
 * form, so the packaged template is the one validated (after checking the path is local).
 */
export function packaged(template: Record<string, unknown>): { template: Record<string, unknown>; problems: string[] } {
  const copy = structuredClone(template) as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  const problems: string[] = [];
  for (const [id, r] of Object.entries(copy.Resources)) {
    if (r.Type !== "AWS::Lambda::Function" || typeof r.Properties?.Code !== "string") continue;
    if (!/^[A-Za-z0-9_.-]+\/$/.test(r.Properties.Code))
      problems.push(`${id}: Code ${JSON.stringify(r.Properties.Code)} is not a folder of the build`);
    r.Properties.Code = { S3Bucket: "bucket", S3Key: `${r.Properties.Code}code.zip` };
  }
  return { template: copy, problems };
}

/** Every problem the spec and the IAM action list find in a template, each as `<logical id>: <what>`. */
export function validateTemplate(template: Record<string, unknown>): string[] {
  const d = spec();
  const p = packaged(template);
  const problems = [...p.problems];
  const resources = (p.template.Resources ?? {}) as Record<string, Record<string, unknown>>;
  for (const [id, r] of Object.entries(resources)) {
    for (const k of Object.keys(r)) if (!RESOURCE_KEYS.has(k)) problems.push(`${id}: no such resource attribute ${k}`);
    const type = String(r.Type);
    const [resource] = d.lookup("resource", "cloudFormationType", "equals", type);
    if (!resource) {
      problems.push(`${id}: no resource type ${type}`);
      continue;
    }
    const props = (r.Properties ?? {}) as Record<string, unknown>;
    problems.push(...checkProps(resource.properties as unknown as Props, props, "Properties", d).map((x) => `${id}: ${x}`));
    if (
      r.DeletionPolicy !== undefined &&
      !(DELETION_POLICIES.has(String(r.DeletionPolicy)) && (r.DeletionPolicy !== "Snapshot" || SNAPSHOT_TYPES.has(type)))
    )
      problems.push(`${id}: DeletionPolicy ${JSON.stringify(r.DeletionPolicy)} is not valid for ${type}`);
    if (
      r.UpdateReplacePolicy !== undefined &&
      !(UPDATE_REPLACE_POLICIES.has(String(r.UpdateReplacePolicy)) && (r.UpdateReplacePolicy !== "Snapshot" || SNAPSHOT_TYPES.has(type)))
    )
      problems.push(`${id}: UpdateReplacePolicy ${JSON.stringify(r.UpdateReplacePolicy)} is not valid for ${type}`);
    const { actions, problems: policy } = actionsOf(type, props);
    problems.push(...policy.map((x) => `${id}: ${x}`));
    for (const a of actions) if (!knownAction(a)) problems.push(`${id}: unknown IAM action ${a}`);
  }
  return problems;
}
