// Run as an ordinary user by chromiumSandbox.test.ts: launches Chromium the way
// the scraper does, loads a page, and prints one JSON line describing the
// browser's and the renderers' sandboxing, read from /proc.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { launchChromium } from "../../../lib/scraper/launchChromium.ts";

function children(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

const browser = await launchChromium();
try {
  const page = await browser.browser.newPage();
  await page.setContent("<title>sandboxed page</title><h1>hello</h1>");
  const title = await page.title();
  const root = browser.browser.process()!.pid!;
  const all: number[] = [];
  for (let frontier = [root]; frontier.length > 0; ) {
    const next = frontier.flatMap(children);
    all.push(...next);
    frontier = next;
  }
  const renderers = all
    .filter((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=renderer"))
    .map((pid) => ({
      seccomp: /Seccomp:\s*(\d)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "?",
      userNamespace: readlinkSync(`/proc/${pid}/ns/user`),
    }));
  const args = browser.browser.process()!.spawnargs;
  console.log(JSON.stringify({ sandbox: browser.sandbox, args, renderers, browserUserNamespace: readlinkSync(`/proc/${root}/ns/user`), title }));
} finally {
  await browser.close();
}
