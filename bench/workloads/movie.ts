// The movie app's workload (examples/movie), after DeathStarBench's media service: mostly
// reading a movie's page, some composing reviews (Beldi's own script drives compose only; a
// review site is read far more than written, so we read 90% of the time).
import { Rng } from "../rng.js";
import { duplicates, succeeded, answerValue, type Request, type Row, type SmokeCase, type Workload } from "./workload.js";

const USERS = 500;
const MOVIES = 100;
const PEOPLE = 300;
const CAST = 5;
const SEEDED_REVIEWS = 3; // per movie, so pages have reviews from the start
const PAGE_REVIEWS = 5;
const WORDS = "a the movie plot actor scene great slow loved hated ending score camera light story twist long short fun dark".split(" ");

interface ReviewSeed {
  id: string;
  user: string;
  movie: string;
  rating: number;
}

export function movie(seed: number): Workload {
  const rng = new Rng(seed);
  const users = Array.from({ length: USERS }, (_, i) => `username_${i}`);
  const userId = (u: string) => `u${u.slice("username_".length)}`;
  const password = (u: string) => `pw-${u}`;
  const title = (i: number) => `Movie ${i}`;
  const text = (r: Rng, words: number) => Array.from({ length: words }, () => r.pick(WORDS)).join(" ");
  const reviews: ReviewSeed[] = [];
  for (let m = 0; m < MOVIES; m++) {
    for (let k = 0; k < SEEDED_REVIEWS; k++)
      reviews.push({ id: `seed-m${m}-${k}`, user: userId(rng.pick(users)), movie: `m${m}`, rating: rng.int(0, 10) });
  }

  return {
    name: "movie",
    app: "examples/movie",
    mix: { page: 0.9, compose: 0.1 },
    condWrites: {},

    rows() {
      const rows: Row[] = [];
      for (const u of users) rows.push({ service: "user", table: "accounts", key: u, value: { userId: userId(u), password: password(u) } });
      for (let p = 0; p < PEOPLE; p++)
        rows.push({ service: "castInfo", table: "people", key: `c${p}`, value: { name: `Actor ${p}`, character: `Role ${p}` } });
      for (let m = 0; m < MOVIES; m++) {
        rows.push({ service: "movieId", table: "titles", key: title(m), value: { movieId: `m${m}` } });
        const cast = rng.sample(
          Array.from({ length: PEOPLE }, (_, p) => `c${p}`),
          CAST,
        );
        rows.push({ service: "movieInfo", table: "infos", key: `m${m}`, value: { title: title(m), plot: `plot${m}`, cast } });
        rows.push({ service: "plot", table: "plots", key: `plot${m}`, value: { text: text(rng, 40) } });
        const mine = reviews.filter((r) => r.movie === `m${m}`);
        rows.push({ service: "movieReview", table: "byMovie", key: `m${m}`, value: { ids: mine.map((r) => r.id) } });
        rows.push({
          service: "rating",
          table: "scores",
          key: `m${m}`,
          value: { sum: mine.reduce((s, r) => s + r.rating, 0), count: mine.length },
        });
      }
      for (const r of reviews) {
        rows.push({ service: "reviewStorage", table: "reviews", key: r.id, value: { ...r, text: `seeded review of ${r.movie}`, at: 0 } });
      }
      const byUser = new Map<string, string[]>();
      for (const r of reviews) byUser.set(r.user, [...(byUser.get(r.user) ?? []), r.id]);
      for (const [u, ids] of byUser) rows.push({ service: "userReview", table: "byUser", key: u, value: { ids } });
      return rows;
    },

    request(kind: string, r: Rng): Request {
      const m = r.int(0, MOVIES - 1);
      if (kind === "page") return { kind, fn: "frontend.page", input: { movie: `m${m}`, count: PAGE_REVIEWS } };
      if (kind === "compose") {
        const u = r.pick(users);
        return {
          kind,
          fn: "frontend.compose",
          input: { username: u, password: password(u), title: title(m), rating: r.int(0, 10), text: text(r, r.int(10, 40)) },
        };
      }
      throw new Error(`movie has no request kind ${kind}`);
    },

    smoke(): SmokeCase[] {
      const page = (v: unknown) =>
        v as { title?: string; plot?: string; cast?: unknown[]; reviews?: { id: string }[]; votes?: number } | undefined;
      return [
        {
          fn: "frontend.page",
          input: { movie: "m0", count: PAGE_REVIEWS },
          check: (v) => {
            const p = page(v);
            if (p?.title !== title(0) || !p.plot || p.cast?.length !== CAST) return `page of m0: ${JSON.stringify(v)}`;
            return p.reviews?.length === SEEDED_REVIEWS && p.votes === SEEDED_REVIEWS
              ? null
              : `m0 should show its ${SEEDED_REVIEWS} seeded reviews: ${JSON.stringify(v)}`;
          },
        },
        {
          fn: "frontend.compose",
          input: { username: "username_1", password: password("username_1"), title: title(0), rating: 7, text: "a fine movie" },
          check: (v) => (typeof v === "string" && v.startsWith("r") ? null : `compose: ${JSON.stringify(v)}`),
        },
        {
          fn: "frontend.page",
          input: { movie: "m0", count: PAGE_REVIEWS },
          check: (v) => {
            const p = page(v);
            return p?.reviews?.length === SEEDED_REVIEWS + 1 && p.votes === SEEDED_REVIEWS + 1 && !p.reviews[0]!.id.startsWith("seed")
              ? null
              : `m0 should show the new review first: ${JSON.stringify(v)}`;
          },
        },
        {
          fn: "frontend.compose",
          input: { username: "username_1", password: "wrong", title: title(0), rating: 7, text: "x" },
          fails: /wrong password/,
        },
      ];
    },

    async verify(stack, done) {
      const problems: string[] = [];
      const composed = done.filter((d) => d.req.kind === "compose" && succeeded(d.result));
      const stored = await stack.scan("reviewStorage", "reviews");
      const ids = new Set(stored.map((r) => r.key));
      const total = reviews.length + composed.length;
      if (stored.length !== total) problems.push(`${stored.length} reviews stored, expected ${total}`);
      const missing = composed.filter((d) => !ids.has(answerValue(d.result) as string)).length;
      if (missing) problems.push(`${missing} composed review(s) not stored`);
      for (const [service, table] of [
        ["movieReview", "byMovie"],
        ["userReview", "byUser"],
      ] as const) {
        const all = (await stack.scan(service, table)).flatMap((r) => (r.value as { ids: string[] }).ids);
        if (all.length !== total) problems.push(`${service}.${table} lists ${all.length} reviews, expected ${total}`);
        problems.push(...duplicates(`${service}.${table}`, all));
        if (all.some((id) => !ids.has(id))) problems.push(`${service}.${table} lists a review that is not stored`);
      }
      const scores = (await stack.scan("rating", "scores")).map((r) => r.value as { sum: number; count: number });
      const votes = scores.reduce((s, x) => s + x.count, 0);
      const sum = scores.reduce((s, x) => s + x.sum, 0);
      const want = stored.reduce((s, r) => s + (r.value as { rating: number }).rating, 0);
      if (votes !== total || sum !== want)
        problems.push(`scores count ${votes} votes summing to ${sum}; the reviews: ${total} summing to ${want}`);
      const failed = done.filter((d) => !succeeded(d.result)).length;
      if (failed) problems.push(`${failed} request(s) failed`);
      return problems;
    },
  };
}
