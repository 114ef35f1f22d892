// Run in a child process by chromiumPackUrl.test.ts, with its own TMPDIR (the
// pack is extracted there, as in a fresh Lambda container): launches Chromium the
// way the scrapers do and prints the browser's version.
import { launchChromium } from "../../../lib/scraper/launchChromium.ts";

const launched = await launchChromium();
try {
  console.log(JSON.stringify({ version: await launched.browser.version() }));
} finally {
  await launched.close();
}
