// Debian's chromium, headless, for the browser tests and the README's pictures. The flags keep it
// off the network: this machine's closed network refuses the connections chromium makes by itself.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    // said on stderr too: uvu prints nothing of an error thrown in a `before` hook
    const why = `${CHROMIUM} is missing: the browser tests drive Debian's chromium (\`apt-get install chromium\`, as .ci/run does)`;
    console.error(why);
    return Promise.reject(new Error(why));
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
