// The local search endpoint in its thread (startInThread).
import { workerData } from "node:worker_threads";
import { startSearchServer } from "@cryptoviz/local-search";
import { servePart } from "./partThread.ts";

await servePart(() => startSearchServer(workerData as Parameters<typeof startSearchServer>[0]), (s) => ({ url: s.url }));
