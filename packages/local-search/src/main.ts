// Runs the search endpoint as its own process:
//   npx tsx packages/local-search/src/main.ts [--port 9200] [--host 127.0.0.1] [--data-dir DIR]
// Prints one JSON line {"url": ...} once listening; SIGINT/SIGTERM close it cleanly.
// With an IPC channel (child_process.fork) it also answers {cmd: "memory"}.
import { startSearchServer } from "./startSearchServer.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const server = await startSearchServer({
  port: Number(arg("--port") ?? "9200"),
  host: arg("--host"),
  dataDir: arg("--data-dir"),
});
process.stdout.write(JSON.stringify({ url: server.url, port: server.port }) + "\n");

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

if (process.send) {
  process.on("message", (msg: { cmd?: string }) => {
    if (msg?.cmd === "memory") {
      const g = (globalThis as { gc?: () => void }).gc;
      if (g) {
        g();
        g();
      }
      process.send!({ memory: process.memoryUsage() });
    }
  });
  process.on("disconnect", stop);
}
