// Internal envelopes are signed. Calls, spawn events, the collector's re-sends and transaction
// ends carry `beldi.sig`: an HMAC-SHA256 of the whole envelope under the app's envelope key,
// which only the app's functions (and the local stack that plays the platform) hold. Anyone
// allowed to invoke a function is a client; a client cannot forge a call (and with it another
// instance's result, a caller's deadline or a transaction's end), so a `beldi` field in an
// envelope without a valid signature is refused (R0019). `trace` (local stack bookkeeping,
// removed from async events by the local invoke server) is the one field left unsigned.
import { createHmac, timingSafeEqual } from "node:crypto";

const SIG = "sig";
const UNSIGNED = new Set([SIG, "trace"]);

type Envelope = { beldi?: Record<string, unknown> } & Record<string, unknown>;

/** The text signed: the envelope as JSON, without the unsigned fields of `beldi`. */
function signedText(event: Envelope): string {
  const beldi = Object.fromEntries(Object.entries(event.beldi ?? {}).filter(([k]) => !UNSIGNED.has(k)));
  return JSON.stringify({ ...event, beldi });
}

function mac(key: string, event: Envelope): string {
  return createHmac("sha256", key).update(signedText(event)).digest("base64url");
}

/** `event` with its signature (the value to send). */
export function signed<E extends { beldi?: object }>(key: string, event: E): E {
  const e = event as unknown as Envelope;
  return { ...event, beldi: { ...e.beldi, [SIG]: mac(key, e) } };
}

/** Whether `raw` (a parsed envelope with a `beldi` object) carries a valid signature under `key`. */
export function signatureValid(key: string, raw: Envelope): boolean {
  const sig = raw.beldi?.[SIG];
  if (typeof sig !== "string") return false;
  const want = Buffer.from(mac(key, raw));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * A scheduled maintenance event as EventBridge sends it (it cannot sign): exactly
 * `{ beldi: { kind: "collect" | "gc" } }`. It does only what the schedule does anyway; its
 * test knobs (olderThanMs, laterByMs, trace) need a signature.
 */
export function isPlainSchedule(raw: Envelope): boolean {
  const keys = Object.keys(raw);
  const b = raw.beldi;
  return (
    keys.length === 1 &&
    keys[0] === "beldi" &&
    !!b &&
    Object.keys(b).length === 1 &&
    (b.kind === "collect" || b.kind === "gc" || b.kind === "wake")
  );
}
