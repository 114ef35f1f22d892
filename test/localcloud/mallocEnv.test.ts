// npm start / npm run demo start the launcher with the allocator settings that keep
// its native memory level (localcloud/mallocEnv.ts): the scripts and the constant agree.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { MALLOC_ENV } from "../../localcloud/mallocEnv.ts";

describe("launcher allocator settings", () => {
  it("are on the command line of every script that starts the launcher", () => {
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
    const prefix = Object.entries(MALLOC_ENV).map(([name, value]) => `${name}=${value}`).join(" ");
    const launchers = Object.entries(scripts).filter(([, command]) => command.includes("localcloud/cli.ts"));
    assert.deepEqual(launchers.map(([name]) => name).sort(), ["demo", "localcloud", "start"]);
    for (const [name, command] of launchers) assert.ok(command.startsWith(`${prefix} tsx `), `${name}: ${command}`);
  });
});
