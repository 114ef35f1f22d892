// Chromium's sandbox is on wherever the platform allows it: decided from the
// user, Lambda and the kernel's user-namespace settings; and, as a user other
// than root, a real launch whose renderer runs under seccomp.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { chromiumArgs, chromiumSandbox } from "../../lib/scraper/chromiumSandbox.ts";

const noSysctl = () => undefined;

describe("chromiumSandbox", () => {
  it("is on for an ordinary user with user namespaces, off as root, in Lambda, or when the kernel refuses them", () => {
    assert.deepEqual(chromiumSandbox({}, 1000, noSysctl), { enabled: true, reason: "sandboxed (unprivileged user namespaces)" });
    assert.match(chromiumSandbox({}, 0, noSysctl).reason, /root/);
    assert.equal(chromiumSandbox({}, 0, noSysctl).enabled, false);
    assert.equal(chromiumSandbox({ AWS_LAMBDA_FUNCTION_NAME: "scrape-news" }, 993, noSysctl).enabled, false);
    assert.equal(chromiumSandbox({ AWS_LAMBDA_FUNCTION_NAME: "scrape-news", IS_OFFLINE: "true" }, 1000, noSysctl).enabled, true, "serverless offline is not Lambda");
    const refuses = (path: string) => (path.endsWith("unprivileged_userns_clone") ? "0" : undefined);
    assert.deepEqual(chromiumSandbox({}, 1000, refuses), { enabled: false, reason: "kernel.unprivileged_userns_clone is 0: Chromium's sandbox cannot start" });
    assert.equal(chromiumSandbox({ CHROMIUM_SANDBOX: "off" }, 1000, noSysctl).enabled, false);
    assert.equal(chromiumSandbox({ CHROMIUM_SANDBOX: "on" }, 0, noSysctl).enabled, true);
  });

  it("drops the pack's same-origin-weakening flags always, and its sandbox-off flags when sandboxed", () => {
    const pack = ["--disable-web-security", "--allow-running-insecure-content", "--single-process", "--no-zygote", "--no-sandbox", "--disable-setuid-sandbox", "--headless='shell'"];
    assert.deepEqual(chromiumArgs(pack, { enabled: true, reason: "" }), ["--headless='shell'"]);
    assert.deepEqual(chromiumArgs(pack, { enabled: false, reason: "" }), ["--single-process", "--no-zygote", "--no-sandbox", "--disable-setuid-sandbox", "--headless='shell'"]);
  });

  it("launches sandboxed as a user other than root: the renderer runs under seccomp in its own namespace", (t) => {
    const nobody = 65534;
    const asNobody = (command: string, args: string[], env: Record<string, string> = {}) =>
      spawnSync("setpriv", ["--reuid", String(nobody), "--regid", String(nobody), "--clear-groups", "env", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), command, ...args], { encoding: "utf8", timeout: 120_000 });
    if (process.getuid?.() !== 0) {
      // Already an ordinary user: the decision alone says whether this platform allows it.
      t.diagnostic(`not root: ${JSON.stringify(chromiumSandbox())}`);
      assert.equal(typeof chromiumSandbox().enabled, "boolean");
      return;
    }
    if (asNobody("true", []).status !== 0) {
      // No way to drop to another user here (setpriv missing): the decision for root is what can be checked.
      t.diagnostic("setpriv unavailable: the launch as another user was not tried");
      assert.equal(chromiumSandbox().enabled, false);
      return;
    }
    const home = mkdtempSync(join(tmpdir(), "sandbox-nobody-"));
    chmodSync(home, 0o777);
    try {
      if (asNobody("unshare", ["--user", "true"]).status !== 0) {
        // The kernel refuses user namespaces here: the launcher must say so rather than try.
        assert.equal(chromiumSandbox({}, nobody).enabled, false);
        return;
      }
      const script = join(import.meta.dirname, "helpers", "launchAndInspect.ts");
      const result = asNobody(process.execPath, ["--import", "tsx", script], { TMPDIR: home, HOME: home, PATH: process.env.PATH ?? "" });
      assert.equal(result.status, 0, result.stderr);
      const report = JSON.parse(result.stdout.trim().split("\n").pop()!) as { sandbox: { enabled: boolean }; args: string[]; renderers: Array<{ seccomp: string; userNamespace: string }>; browserUserNamespace: string; title: string };
      assert.equal(report.sandbox.enabled, true);
      assert.ok(!report.args.includes("--no-sandbox"), report.args.join(" "));
      assert.equal(report.title, "sandboxed page");
      assert.ok(report.renderers.length > 0, "a renderer process ran");
      for (const renderer of report.renderers) {
        assert.equal(renderer.seccomp, "2", "seccomp-bpf filter mode");
        assert.notEqual(renderer.userNamespace, report.browserUserNamespace, "the renderer lives in a user namespace of its own");
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
