import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:net";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { portIsFree } from "../helpers/freePorts.ts";
import { localCloudEnv } from "../helpers/localCloudEnv.ts";

const run = promisify(execFile);
const launch = (command: string, env: Record<string, string>) =>
  run(process.execPath, ["--import", "tsx", "localcloud/cli.ts", command], { env: { ...process.env, ...env }, timeout: 60_000 });

function expectFailure(error: unknown, pattern: RegExp) {
  const e = error as { code: number; stderr: string };
  assert.equal(e.code, 1);
  const lines = e.stderr.trim().split("\n").filter((l) => !l.startsWith("npm warn"));
  assert.equal(lines.length, 1, `one clear line, got:\n${e.stderr}`);
  assert.match(lines[0]!, pattern);
  return true;
}

describe("launcher refuses bad configuration with one clear line", () => {
  it("names a busy port and its variable, and leaves nothing half-started", async () => {
    const { env, ports } = await localCloudEnv();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(ports.mqtt, "127.0.0.1", r));
    try {
      await assert.rejects(launch("start", env), (e) =>
        expectFailure(e, new RegExp(`port ${ports.mqtt} \\(MQTT TCP\\).*already in use.*CRYPTOVIZ_MQTT_PORT`)),
      );
      for (const port of [ports.sqsS3, ports.search, ports.mqttWs, ports.api, ports.lambda]) assert.ok(await portIsFree(port), `port ${port} left free`);
    } finally {
      blocker.close();
    }
  });

  it("names a malformed setting", async () => {
    const { env } = await localCloudEnv();
    await assert.rejects(launch("cloud", { ...env, CRYPTOVIZ_SEARCH_PORT: "ninety-two hundred" }), (e) =>
      expectFailure(e, /CRYPTOVIZ_SEARCH_PORT: must be an integer, got "ninety-two hundred"/),
    );
    await assert.rejects(launch("cloud", { ...env, CRYPTOVIZ_API_PORT: "70000" }), (e) => expectFailure(e, /CRYPTOVIZ_API_PORT: must be <= 65535/));
  });

  it("names an unknown command", async () => {
    await assert.rejects(launch("begin", {}), (e) => expectFailure(e, /unknown command "begin"/));
  });
});
