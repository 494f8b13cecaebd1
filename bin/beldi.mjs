#!/usr/bin/env node
// The `beldi` command: the CLI is TypeScript, run through tsx's loader (no build step).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../local/cli.ts");
process.exitCode = await main(process.argv.slice(2));
