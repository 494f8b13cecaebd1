// The travel app's workload (examples/travel), after Beldi's wrk2 script for DeathStarBench's
// hotel reservation: mostly searches and recommendations, a few logins and reservations (Beldi:
// 60% search, 39% recommend, 0.5% login, 0.5% reserve; we take 1% each of the last two so a
// run of a thousand requests still has reservations to check).
import { Rng } from "../rng.js";
import { succeeded, answerValue, type Request, type Row, type SmokeCase, type Workload } from "./workload.js";

const CITIES: Record<string, [number, number]> = {
  sf: [37.7749, -122.4194],
  la: [34.0522, -118.2437],
  nyc: [40.7128, -74.006],
  chi: [41.8781, -87.6298],
  sea: [47.6062, -122.3321],
  bos: [42.3601, -71.0589],
  aus: [30.2672, -97.7431],
  den: [39.7392, -104.9903],
};
const HOTELS_PER_CITY = 10;
const USERS = 500;
const FLIGHTS = 100;
const CAP = 10;

interface HotelSeed {
  id: string;
  city: string;
  lat: number;
  lon: number;
  stars: number;
  price: number;
}

export function travel(seed: number): Workload {
  const rng = new Rng(seed);
  const cities = Object.keys(CITIES);
  // Hotels within ~6 km of their city's centre (0.05° of latitude is about 5.5 km).
  const hotels: HotelSeed[] = cities.flatMap((city, c) =>
    Array.from({ length: HOTELS_PER_CITY }, (_, i) => ({
      id: `h${c * HOTELS_PER_CITY + i}`,
      city,
      lat: CITIES[city]![0] + (rng.next() - 0.5) * 0.1,
      lon: CITIES[city]![1] + (rng.next() - 0.5) * 0.1,
      stars: rng.int(1, 5),
      price: rng.int(60, 400),
    })),
  );
  const users = Array.from({ length: USERS }, (_, i) => `user_${i}`);
  const flights = Array.from({ length: FLIGHTS }, (_, i) => `f${i}`);
  const password = (u: string) => `pw-${u}`;
  const near = (r: Rng, city: string): [number, number] => [
    CITIES[city]![0] + (r.next() - 0.5) * 0.1,
    CITIES[city]![1] + (r.next() - 0.5) * 0.1,
  ];

  return {
    name: "travel",
    app: "examples/travel",
    mix: { search: 0.6, recommend: 0.38, login: 0.01, reserve: 0.01 },
    // flight.reserve is one `update ... where` (reached whenever the hotel had a room).
    condWrites: { reserve: 1 },

    rows() {
      const rows: Row[] = [];
      for (const city of cities) {
        const mine = hotels.filter((h) => h.city === city);
        rows.push({ service: "geo", table: "cities", key: city, value: { hotels: mine.map(({ id, lat, lon }) => ({ id, lat, lon })) } });
        rows.push({
          service: "recommendation",
          table: "candidates",
          key: city,
          value: { hotels: mine.map(({ id, lat, lon, stars, price }) => ({ id, lat, lon, stars, price })) },
        });
      }
      for (const h of hotels) {
        rows.push({
          service: "rate",
          table: "rates",
          key: h.id,
          value: { code: "RACK", room: h.stars >= 4 ? "king" : "queen", price: h.price },
        });
        rows.push({
          service: "profile",
          table: "profiles",
          key: h.id,
          value: {
            name: `Hotel ${h.id}`,
            address: `${h.id} Main St, ${h.city}`,
            phone: `555-${h.id}`,
            stars: h.stars,
            description: `A ${h.stars}-star hotel in ${h.city}.`,
          },
        });
        rows.push({ service: "hotel", table: "hotels", key: h.id, value: { name: `Hotel ${h.id}`, cap: CAP, price: h.price } });
      }
      for (const f of flights) rows.push({ service: "flight", table: "flights", key: f, value: { cap: CAP } });
      for (const u of users) rows.push({ service: "user", table: "users", key: u, value: { password: password(u) } });
      return rows;
    },

    request(kind: string, r: Rng): Request {
      const city = r.pick(cities);
      const [lat, lon] = near(r, city);
      const user = r.pick(users);
      switch (kind) {
        case "search":
          return { kind, fn: "frontend.search", input: { city, lat, lon } };
        case "recommend":
          return { kind, fn: "frontend.recommend", input: { city, require: r.pick(["dis", "rate", "price"]), lat, lon } };
        case "login":
          return { kind, fn: "frontend.login", input: { username: user, password: password(user) } };
        case "reserve":
          return {
            kind,
            fn: "frontend.reserve",
            input: { user, password: password(user), hotel: r.pick(hotels).id, flight: r.pick(flights) },
          };
        default:
          throw new Error(`travel has no request kind ${kind}`);
      }
    },

    smoke(): SmokeCase[] {
      const sf = hotels.filter((h) => h.city === "sf").map((h) => h.id);
      const cheapest = Math.min(...hotels.filter((h) => h.city === "sf").map((h) => h.price));
      const isList = (v: unknown): v is Record<string, unknown>[] => Array.isArray(v);
      return [
        {
          fn: "frontend.search",
          input: { city: "sf", lat: CITIES.sf![0], lon: CITIES.sf![1] },
          check: (v) =>
            !isList(v) || v.length === 0 || v.length > 5
              ? `expected 1-5 hits, got ${JSON.stringify(v)}`
              : v.some((h) => !sf.includes(h.hotel as string) || typeof h.price !== "number")
                ? "a hit outside sf or without a price"
                : null,
        },
        {
          fn: "frontend.recommend",
          input: { city: "sf", require: "price", lat: 0, lon: 0 },
          check: (v) =>
            !isList(v) || v.length === 0
              ? `expected the cheapest hotels, got ${JSON.stringify(v)}`
              : v.some((c) => hotels.find((h) => h.id === c.hotel)?.price !== cheapest)
                ? "recommended a hotel that is not the cheapest"
                : null,
        },
        {
          fn: "frontend.login",
          input: { username: "user_1", password: password("user_1") },
          check: (v) => (v === true ? null : `login: ${JSON.stringify(v)}`),
        },
        {
          fn: "frontend.login",
          input: { username: "user_1", password: "wrong" },
          check: (v) => (v === false ? null : `bad password accepted: ${JSON.stringify(v)}`),
        },
        {
          fn: "frontend.reserve",
          input: { user: "user_2", password: password("user_2"), hotel: "h3", flight: "f7" },
          check: (v) => (v === true ? null : `reserve: ${JSON.stringify(v)}`),
        },
      ];
    },

    async verify(stack, done) {
      const problems: string[] = [];
      const reserved = done.filter((d) => d.req.kind === "reserve" && answerValue(d.result) === true).map((d) => d.req.input);
      const count = (key: "hotel" | "flight") => {
        const m = new Map<string, number>();
        for (const r of reserved) m.set(r[key] as string, (m.get(r[key] as string) ?? 0) + 1);
        return m;
      };
      for (const [table, service, key] of [
        ["hotels", "hotel", "hotel"],
        ["flights", "flight", "flight"],
      ] as const) {
        const want = count(key);
        for (const row of await stack.scan(service, table)) {
          const taken = CAP - (row.value as { cap: number }).cap;
          if (taken !== (want.get(row.key) ?? 0))
            problems.push(`${service} ${row.key}: ${taken} taken, ${want.get(row.key) ?? 0} reservations succeeded`);
        }
      }
      const orders = (await stack.scan("order", "orders")).map((o) => o.value as { user: string; hotel: string; flight: string });
      // Exactly one order per successful reservation: the same multiset of (user, hotel, flight).
      const had = orders.map((o) => `${o.user}/${o.hotel}/${o.flight}`).sort();
      const want = reserved.map((r) => `${r.user}/${r.hotel}/${r.flight}`).sort();
      if (had.join() !== want.join()) problems.push(`${orders.length} orders do not match the ${reserved.length} successful reservations`);
      const failed = done.filter((d) => !succeeded(d.result)).length;
      if (failed) problems.push(`${failed} request(s) failed`);
      return problems;
    },
  };
}
