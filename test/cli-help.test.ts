// `beldi <command> --help` prints that command's own usage, for every command in the table
// (a command added without its usage lines fails here).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { USAGE } from "../compiler/cli.js";
import { COMMANDS, main, usageOf } from "../local/cli.js";

test("every command in the table has its usage lines", () => {
  for (const name of Object.keys(COMMANDS)) {
    const own = usageOf(name, USAGE);
    assert.ok(own, `beldi ${name} has no usage lines in USAGE (compiler/cli.ts)`);
    assert.match(own!, `  beldi ${name}`);
    assert.not.match(own!.split("\n").slice(2).join("\n"), /^ {2}beldi /m, `${name}: only its own lines`);
  }
  assert.is(usageOf("nope", USAGE), undefined);
});

test("--help and -h after a command print its usage and exit 0, without running it", async () => {
  for (const args of [
    ["run", "--help"],
    ["sweep", "examples/hello", "-h"],
  ]) {
    const out: string[] = [];
    const code = await main(args, { out: (t) => out.push(t), err: (t) => out.push(t) });
    assert.is(code, 0, args.join(" "));
    assert.match(out.join("\n"), `beldi ${args[0]} <app>`);
    assert.not.match(out.join("\n"), "beldi check", "only the command's own lines");
  }
});

test.run();
