// The travel app of LANGUAGE.md §1, verbatim: the front-end tests' reference program.
import { readFileSync } from "node:fs";

export const TRAVEL = readFileSync(new URL("./fixtures/travel-spec/travel.beldi", import.meta.url), "utf8");
