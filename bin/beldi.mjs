#!/usr/bin/env node
// The `beldi` command: the CLI is TypeScript, run through tsx's loader (no build step). check,
// diff, graph and run start from their precompiled bundles instead when `npm run build:cli` (or
// `npm ci`) made them and no source changed since (bin/fast-bundle.mjs): plain Node starts them
// several times faster.
import { fastCommand, freshBundle, runFast } from "./fast-bundle.mjs";

const argv = process.argv.slice(2);
const bundle = fastCommand(argv) && !process.env.BELDI_NO_BUNDLE ? freshBundle() : null;
if (bundle) {
  process.exitCode = await runFast(bundle, argv);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import("../local/cli.ts");
  process.exitCode = await main(argv);
}
