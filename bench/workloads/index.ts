// The bench's apps by name: the example apps (test/examples.test.ts runs each of these), and
// the apps only the bench drives (kept out of the timed tests).
import { bank } from "./bank.js";
import { movie } from "./movie.js";
import { social } from "./social.js";
import { travel } from "./travel.js";
import type { Workload } from "./workload.js";

export const WORKLOADS: Record<string, (seed: number) => Workload> = { travel, movie, social };

export const BENCH_APPS: Record<string, (seed: number) => Workload> = { ...WORKLOADS, bank };
