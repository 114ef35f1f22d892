// Import this before aws-iot-device-sdk-v2. Bundled by esbuild, aws-crt cannot
// find its native binding next to its own files; in Lambda the deployment sets
// AWS_CRT_NODEJS_BINARY_ABSOLUTE_PATH (native/README.md), and on a developer's
// machine the binding for this platform is taken from node_modules.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";

if (!process.env.AWS_CRT_NODEJS_BINARY_ABSOLUTE_PATH) {
  try {
    const packageJson = createRequire(join(process.cwd(), "package.json")).resolve("aws-crt/package.json");
    const libc = platform() === "linux" ? "glibc" : "cruntime";
    const binary = join(dirname(packageJson), "dist", "bin", `${platform()}-${arch()}-${libc}`, "aws-crt-nodejs.node");
    if (existsSync(binary)) process.env.AWS_CRT_NODEJS_BINARY_ABSOLUTE_PATH = binary;
  } catch {
    // Not installed here: aws-crt reports the paths it searched when it loads.
  }
}
