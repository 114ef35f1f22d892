// The runtime inside one local Lambda container: a Node process that loads one
// function's bundle once (the init phase) and then runs its invocations one at a
// time, as a Lambda execution environment does. Plain CommonJS, no TypeScript
// loader: the container runs what Lambda would run, the esbuild bundle.
//
// Parent → child (IPC): { type: "invoke", id, event, context, deadline }
// Child → parent:       { type: "ready", initMs } | { type: "init-error", error }
//                       { type: "result", id, ok, value | error, rss }
// Shutdown is a SIGTERM, as Lambda sends one when it retires an environment:
// shutdown hooks a handler registered (lib/lambda/containerShutdown.ts) run first.
"use strict";

const { performance } = require("node:perf_hooks");

const [ricPath, appRoot, handlerString] = process.argv.slice(2);

// Lambda's own loader (aws-lambda-ric, as vendored by serverless-offline): the
// same module and handler resolution as the Node.js runtime in AWS.
const { load } = require(ricPath);

function serializeError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack ?? `${error.name}: ${error.message}` };
  const text = typeof error === "string" ? error : JSON.stringify(error) ?? String(error);
  return { name: "Error", message: text, stack: `Error: ${text}` };
}

// Results handed to the IPC channel and not yet written: an exit waits for them.
const unsent = new Set();

function send(message) {
  if (!process.connected) return;
  try {
    let written;
    const delivered = new Promise((resolve) => (written = resolve));
    unsent.add(delivered);
    process.send(message, () => {
      unsent.delete(delivered);
      written();
    });
  } catch (error) {
    // A value the IPC channel cannot clone (a function, a socket): Lambda would fail to serialise it too.
    if (message.type === "result" && message.ok) send({ type: "result", id: message.id, ok: false, error: serializeError(error), rss: message.rss });
    else throw error;
  }
}

function lambdaContext(context, deadline, settle) {
  return {
    ...context,
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(deadline - Date.now())),
    done: (error, value) => settle(error, value),
    fail: (error) => settle(error ?? new Error("failed")),
    succeed: (value) => settle(null, value),
  };
}

/** The invocation under way (its result sent when it settles), if any. */
let current;

async function invoke(handler, { id, event, context, deadline }) {
  let settleCallback;
  const viaCallback = new Promise((resolve, reject) => {
    settleCallback = (error, value) => (error ? reject(error) : resolve(value));
  });
  try {
    const returned = handler(event, lambdaContext(context, deadline, settleCallback), settleCallback);
    const value = await (returned && typeof returned.then === "function" ? Promise.race([returned, viaCallback]) : viaCallback);
    send({ type: "result", id, ok: true, value, rss: process.memoryUsage.rss() });
  } catch (error) {
    send({ type: "result", id, ok: false, error: serializeError(error), rss: process.memoryUsage.rss() });
  }
}

async function main() {
  const started = performance.now();
  let handler;
  try {
    handler = await load(appRoot, handlerString);
  } catch (error) {
    send({ type: "init-error", error: serializeError(error) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  // One invocation at a time, in arrival order (the parent never sends two, but a
  // queue keeps that true even if it did).
  let chain = Promise.resolve();
  process.on("message", (message) => {
    if (message && message.type === "invoke") chain = current = chain.then(() => invoke(handler, message));
  });
  send({ type: "ready", initMs: Math.round(performance.now() - started), rss: process.memoryUsage.rss() });
}

// A handler's shutdown hooks (lib/lambda/containerShutdown.ts) exit as soon as they
// have ended the invocation under way (a collector's window cut short ships what it
// has); the invocation's result is sent a moment later. Exiting first answered the
// invoker with "Runtime exited" for work that had finished, so during a shutdown an
// exit waits for that result to be written, within a second.
let shuttingDown = false;
function onTerm() {
  shuttingDown = true;
  // No hooks of the handler's: SIGTERM ends the container as its default action does.
  if (process.listenerCount("SIGTERM") === 1) {
    process.removeListener("SIGTERM", onTerm);
    process.kill(process.pid, "SIGTERM");
  }
}
process.prependListener("SIGTERM", onTerm);
const exitNow = process.exit.bind(process);
process.exit = (code) => {
  const waiting = [current, ...unsent].filter(Boolean);
  if (!shuttingDown || waiting.length === 0) return exitNow(code);
  setTimeout(() => exitNow(code), 1000).unref();
  void Promise.allSettled(waiting)
    .then(() => Promise.allSettled([...unsent]))
    .then(() => exitNow(code));
  return undefined;
};

// The container lives only as long as its parent: a parent that dies (even by
// SIGKILL) closes the IPC channel, and the container goes with it.
// Same path as a retirement: SIGTERM, so shutdown hooks close what they hold.
process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));

main();
