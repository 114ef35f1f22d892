// The package's public API: the server and its options. Everything else in
// src/ is internal and may change shape without notice.
export { startSearchServer, type SearchServer, type SearchServerOptions } from "./startSearchServer.ts";
