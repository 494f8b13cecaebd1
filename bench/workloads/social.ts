// The social app's workload (examples/social), after DeathStarBench's social network mix
// (60% read home timeline, 30% read user timeline, 10% compose post), with 1% of the user-
// timeline reads turned into follows and 1% into unfollows so the graph's transactions run too.
import { Rng } from "../rng.js";
import { duplicates, succeeded, answerValue, type Request, type Row, type SmokeCase, type Workload } from "./workload.js";

const USERS = 100;
const FOLLOWS = 10; // each user follows this many others
const SEEDED_POSTS = 3; // per user
const PAGE = 10;
const WORDS = "hello world today coffee code rain sun great news look at this again lunch meeting idea".split(" ");

export function social(seed: number): Workload {
  const rng = new Rng(seed);
  const users = Array.from({ length: USERS }, (_, i) => `user_${i}`);
  const following = new Map(
    users.map((u) => [
      u,
      rng.sample(
        users.filter((v) => v !== u),
        FOLLOWS,
      ),
    ]),
  );
  const posts = users.flatMap((u) => Array.from({ length: SEEDED_POSTS }, (_, k) => ({ id: `seed-${u}-${k}`, author: u })));

  return {
    name: "social",
    app: "examples/social",
    mix: { home: 0.6, posts: 0.28, compose: 0.1, follow: 0.01, unfollow: 0.01 },
    condWrites: {},

    rows() {
      const rows: Row[] = [];
      for (const u of users) {
        rows.push({ service: "user", table: "accounts", key: u, value: { name: `User ${u.slice(5)}` } });
        rows.push({ service: "socialGraph", table: "following", key: u, value: { ids: following.get(u)! } });
        rows.push({
          service: "socialGraph",
          table: "followers",
          key: u,
          value: { ids: users.filter((v) => following.get(v)!.includes(u)) },
        });
        rows.push({
          service: "userTimeline",
          table: "timelines",
          key: u,
          value: { posts: posts.filter((p) => p.author === u).map((p) => p.id) },
        });
        const home = posts.filter((p) => following.get(u)!.includes(p.author)).map((p) => p.id);
        rows.push({ service: "homeTimeline", table: "timelines", key: u, value: { posts: home } });
      }
      for (const p of posts) {
        rows.push({
          service: "postStorage",
          table: "posts",
          key: p.id,
          value: { ...p, name: `User ${p.author.slice(5)}`, text: `seeded post ${p.id}`, mentions: [], at: 0 },
        });
      }
      return rows;
    },

    request(kind: string, r: Rng): Request {
      const user = r.pick(users);
      switch (kind) {
        case "home":
          return { kind, fn: "frontend.home", input: { user, start: 0, stop: PAGE } };
        case "posts":
          return { kind, fn: "frontend.posts", input: { user, start: 0, stop: PAGE } };
        case "compose": {
          const words = Array.from({ length: r.int(5, 30) }, () => r.pick(WORDS));
          if (r.next() < 0.3) words.splice(r.int(0, words.length), 0, `@${r.pick(users)}`);
          return { kind, fn: "frontend.compose", input: { user, text: words.join(" ") } };
        }
        case "follow":
          return { kind, fn: "frontend.follow", input: { user, other: r.pick(users) } };
        case "unfollow":
          return { kind, fn: "frontend.unfollow", input: { user, other: r.pick(following.get(user)!) } };
        default:
          throw new Error(`social has no request kind ${kind}`);
      }
    },

    smoke(): SmokeCase[] {
      const list = (v: unknown) => (Array.isArray(v) ? (v as { id: string; author: string; text: string }[]) : undefined);
      const followee = following.get("user_0")![0]!;
      return [
        {
          fn: "frontend.posts",
          input: { user: "user_0", start: 0, stop: PAGE },
          check: (v) =>
            list(v)
              ?.map((p) => p.id)
              .join() === "seed-user_0-2,seed-user_0-1,seed-user_0-0"
              ? null
              : `user_0's posts, newest first: ${JSON.stringify(v)}`,
        },
        {
          fn: "frontend.home",
          input: { user: "user_0", start: 0, stop: PAGE },
          check: (v) =>
            list(v)?.length === PAGE && list(v)!.every((p) => following.get("user_0")!.includes(p.author))
              ? null
              : `user_0's home: ${JSON.stringify(v)}`,
        },
        {
          fn: "frontend.compose",
          input: { user: "user_1", text: "hello @user_2 and @nobody" },
          check: (v) => (typeof v === "string" && v.startsWith("p") ? null : `compose: ${JSON.stringify(v)}`),
        },
        {
          fn: "frontend.posts",
          input: { user: "user_1", start: 0, stop: 1 },
          check: (v) => (list(v)?.[0]?.text === "hello @user_2 and @nobody" ? null : `user_1's newest post: ${JSON.stringify(v)}`),
        },
        {
          fn: "frontend.home",
          input: { user: "user_2", start: 0, stop: 1 },
          check: (v) => (list(v)?.[0]?.author === "user_1" ? null : `the mention should reach user_2's home: ${JSON.stringify(v)}`),
        },
        { fn: "frontend.compose", input: { user: "nobody", text: "hi" }, fails: /no user nobody/ },
        { fn: "frontend.follow", input: { user: "user_0", other: "user_0" }, check: (v) => (v === false ? null : "followed oneself") },
        {
          fn: "frontend.unfollow",
          input: { user: "user_0", other: followee },
          check: (v) => (v === true ? null : `unfollow: ${JSON.stringify(v)}`),
        },
        { fn: "frontend.unfollow", input: { user: "user_0", other: followee }, check: (v) => (v === false ? null : "unfollowed twice") },
        {
          fn: "frontend.follow",
          input: { user: "user_0", other: followee },
          check: (v) => (v === true ? null : `follow: ${JSON.stringify(v)}`),
        },
        { fn: "frontend.follow", input: { user: "user_0", other: followee }, check: (v) => (v === false ? null : "followed twice") },
      ];
    },

    async verify(stack, done, baseline) {
      const problems: string[] = [];
      const composed = done.filter((d) => d.req.kind === "compose" && succeeded(d.result));
      const stored = new Set((await stack.scan("postStorage", "posts")).map((r) => r.key));
      if (stored.size !== posts.length + composed.length)
        problems.push(`${stored.size} posts stored, expected ${posts.length + composed.length}`);
      if (composed.some((d) => !stored.has(answerValue(d.result) as string))) problems.push("a composed post is not stored");
      const by = new Map<string, number>();
      for (const d of composed) by.set(d.req.input.user as string, (by.get(d.req.input.user as string) ?? 0) + 1);
      for (const row of await stack.scan("userTimeline", "timelines")) {
        const ids = (row.value as { posts: string[] }).posts;
        if (ids.length !== SEEDED_POSTS + (by.get(row.key) ?? 0))
          problems.push(`${row.key} wrote ${SEEDED_POSTS + (by.get(row.key) ?? 0)} posts, their timeline has ${ids.length}`);
        problems.push(...duplicates(`${row.key}'s timeline`, ids));
      }
      for (const row of await stack.scan("homeTimeline", "timelines")) {
        const ids = (row.value as { posts: string[] }).posts;
        problems.push(...duplicates(`${row.key}'s home timeline`, ids));
        if (ids.some((id) => !stored.has(id))) problems.push(`${row.key}'s home timeline has a post that is not stored`);
      }
      // Follow and unfollow change both sides in one transaction; the baseline has no isolation.
      if (!baseline) {
        const side = async (table: string) =>
          new Map((await stack.scan("socialGraph", table)).map((r) => [r.key, (r.value as { ids: string[] }).ids]));
        const out = await side("following");
        const into = await side("followers");
        const edges = (m: Map<string, string[]>, flip: boolean) =>
          [...m].flatMap(([k, ids]) => ids.map((v) => (flip ? `${v}>${k}` : `${k}>${v}`))).sort();
        if (edges(out, false).join() !== edges(into, true).join()) problems.push("following and followers disagree");
        for (const [u, ids] of out) problems.push(...duplicates(`${u} follows`, ids));
      }
      const failed = done.filter((d) => !succeeded(d.result)).length;
      if (failed) problems.push(`${failed} request(s) failed`);
      return problems;
    },
  };
}
