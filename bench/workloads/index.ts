// The bench's apps by name.
import { movie } from "./movie.js";
import { social } from "./social.js";
import { travel } from "./travel.js";
import type { Workload } from "./workload.js";

export const WORKLOADS: Record<string, (seed: number) => Workload> = { travel, movie, social };
