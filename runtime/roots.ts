// Whether call trees have finished, by root: the root's intent in every service's intent table,
// looked up in batches. The same client-chosen id may start a tree in several services: a root
// counts as finished only when every intent of that id is done (before the cutoff), or when
// none is left (an intent is registered before its tree leaves anything in the store — a log
// put, an effect, a lock — and deleted only by GC).
import { BatchGetItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import type { Store } from "./store.js";
import { INTENT_ID, INTENT_DONE, INTENT_FINISHED } from "../contract/schema.js";

type Item = Record<string, AttributeValue>;

export class Roots {
  private readonly known = new Map<string, boolean>();

  constructor(
    private readonly store: Store,
    private readonly intentTables: string[],
    /** finished before this time (ms) counts; Infinity: finished at all */
    private readonly cutoff: number,
  ) {}

  async resolve(roots: Iterable<string>): Promise<void> {
    const todo = [...new Set(roots)].filter((r) => !this.known.has(r));
    const found = new Map<string, Item[]>();
    const keys = todo.flatMap((r) => this.intentTables.map((t) => ({ t, r })));
    for (let i = 0; i < keys.length; i += 100) {
      let request: Record<string, { Keys: Item[]; ProjectionExpression: string; ConsistentRead: boolean }> = {};
      for (const { t, r } of keys.slice(i, i + 100)) {
        (request[t] ??= {
          Keys: [],
          ProjectionExpression: `${INTENT_ID}, ${INTENT_DONE}, ${INTENT_FINISHED}`,
          ConsistentRead: true,
        }).Keys.push({ [INTENT_ID]: { S: r } });
      }
      for (let attempt = 0; Object.keys(request).length; attempt++) {
        const out = await this.store.send<{ Responses?: Record<string, Item[]>; UnprocessedKeys?: typeof request }>(
          new BatchGetItemCommand({ RequestItems: request }),
        );
        for (const items of Object.values(out.Responses ?? {}))
          for (const it of items) found.set(it[INTENT_ID]!.S!, [...(found.get(it[INTENT_ID]!.S!) ?? []), it]);
        request = (out.UnprocessedKeys ?? {}) as typeof request;
        if (attempt > 20) throw new Error("the store keeps leaving intent lookups unprocessed");
      }
    }
    for (const r of todo) {
      this.known.set(
        r,
        (found.get(r) ?? []).every((it) => it[INTENT_DONE]?.BOOL === true && Number(it[INTENT_FINISHED]?.N ?? Infinity) < this.cutoff),
      );
    }
  }

  /** Whether the tree of `root` (resolved before) has finished. */
  finished(root: string): boolean {
    return this.known.get(root) === true;
  }
}
