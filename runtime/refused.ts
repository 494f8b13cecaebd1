// R0022: a request the store or Lambda refused for good. Retrying it forever would only hide a misdeployment.
import { RUNTIME_ERRORS } from "../contract/errors.js";
import { BeldiFailure } from "./errors.js";

/** Error names (store and Lambda alike) that no retry can fix: the app is misdeployed or the request invalid. */
const PERMANENT = new Set([
  "AccessDeniedException",
  "ResourceNotFoundException",
  "UnrecognizedClientException",
  "ValidationException",
  "InvalidParameterValueException",
]);

/** A deterministic failure that keeps the store's or Lambda's own error name (`awsName`) for callers that tell them apart. */
export class ResourceRefused extends BeldiFailure {
  constructor(
    readonly awsName: string,
    readonly resource: string,
    readonly detail: string,
  ) {
    super(RUNTIME_ERRORS.resourceRefused.code, `${resource}: ${awsName}: ${detail}`);
  }
}

/** `e` as an R0022 naming `resource` when it is permanent; undefined when a retry may help. */
export function resourceRefused(e: unknown, resource: string): ResourceRefused | undefined {
  const name = (e as { name?: string })?.name ?? "";
  if (!PERMANENT.has(name)) return undefined;
  return new ResourceRefused(name, resource, (e as Error).message ?? String(e));
}
