// Headless Chromium for the board's tests and bench: Debian's /usr/bin/chromium driven by playwright-core, with the flags this closed network needs.
import * as fs from "node:fs";
import { Browser, chromium } from "playwright-core";

export const CHROMIUM = process.env.MESHLIFT_CHROMIUM ?? "/usr/bin/chromium";

/** Without the background-networking flags Chromium keeps dialling Google's hosts, refused here. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  return fs.existsSync(CHROMIUM)
    ? undefined
    : `${CHROMIUM} is not installed (.ci/run installs Debian's chromium)`;
}

/** A headless browser; each launch gets a fresh temporary profile from Playwright. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}
