// fauxqs exports buildApp/startFauxqs only, but the local cloud needs its store
// and persistence classes: startFauxqs listens on every interface (0.0.0.0) and
// cannot build queue URLs from the request's host, and fauxqs's message-text
// check must be corrected (see fixMessageBodyCheck). Its package "exports" map
// hides them, so they are loaded by file URL next to the resolved entry point.
// One fix cannot be made from outside, in the middle of a method: a FIFO receive
// returns several messages of a group, as SQS does (patches/fauxqs+*.patch,
// applied by patch-package at `npm install`).
import type { FastifyInstance } from "fastify";

export interface FauxqsQueue {
  name: string;
  url: string;
  inflightMessages: Map<string, unknown>;
  changeVisibility(receiptHandle: string, timeoutSeconds: number): void;
  persistence?: unknown;
}

export interface FauxqsSqsStore {
  host: string;
  region: string;
  persistence?: unknown;
  processAllTimers(): void;
  allQueues(): Iterable<FauxqsQueue>;
}

export interface FauxqsS3Store {
  persistence?: unknown;
  createBucket(name: string): void;
  hasBucket(name: string): boolean;
  putObject(bucket: string, key: string, body: Buffer, contentType?: string, metadata?: Record<string, string>): unknown;
}

export interface FauxqsPersistence {
  loadSqsAndSns(sqsStore: FauxqsSqsStore, snsStore: object): void;
  close(): void;
}

export interface FauxqsS3Persistence {
  loadS3(s3Store: FauxqsS3Store): void;
  close(): void;
}

export interface FauxqsModules {
  buildApp(options: { logger?: boolean; defaultRegion?: string; stores: { sqsStore: object; snsStore: object; s3Store: object } }): FastifyInstance;
  SqsStore: new () => FauxqsSqsStore;
  SnsStore: new () => { region: string; persistence?: unknown };
  S3Store: new () => FauxqsS3Store;
  PersistenceManager: new (dataDir: string) => FauxqsPersistence;
  FileS3Persistence: new (dir: string) => FauxqsS3Persistence;
  /** The regular expression fauxqs tests message bodies with (shared by SendMessage and SendMessageBatch). */
  invalidMessageBodyChar: RegExp;
}

let loaded: Promise<FauxqsModules> | undefined;

/** Node 22 flags `node:sqlite` (fauxqs's persistence) as experimental on first use; the notice says nothing a user can act on. */
function quietSqliteNotice(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const text = typeof warning === "string" ? warning : warning.message;
    if (type === "ExperimentalWarning" && text.includes("SQLite")) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}

export function loadFauxqs(): Promise<FauxqsModules> {
  loaded ??= (async () => {
    quietSqliteNotice();
    const entry = import.meta.resolve("fauxqs");
    const at = (path: string) => import(new URL(path, entry).href);
    const [app, sqs, sns, s3, persistence, fileS3, sqsTypes] = await Promise.all([
      import(entry),
      at("./sqs/sqsStore.js"),
      at("./sns/snsStore.js"),
      at("./s3/s3Store.js"),
      at("./persistence.js"),
      at("./s3/fileS3Persistence.js"),
      at("./sqs/sqsTypes.js"),
    ]);
    const modules: FauxqsModules = {
      buildApp: app.buildApp,
      SqsStore: sqs.SqsStore,
      SnsStore: sns.SnsStore,
      S3Store: s3.S3Store,
      PersistenceManager: persistence.PersistenceManager,
      FileS3Persistence: fileS3.FileS3Persistence,
      invalidMessageBodyChar: sqsTypes.INVALID_MESSAGE_BODY_CHAR,
    };
    for (const [name, value] of Object.entries(modules)) {
      if (value === undefined) throw new Error(`fauxqs ${name} not found: the installed fauxqs is not the 2.x this local cloud was written for`);
    }
    fixMessageBodyCheck(modules.invalidMessageBodyChar);
    modules.PersistenceManager = withReadyUpdateFixed(modules.PersistenceManager);
    return modules;
  })();
  return loaded;
}

/**
 * Characters SQS accepts in a message: #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD
 * | #x10000–#x10FFFF (SendMessage API reference). Read by code point, so a pair of
 * surrogates (every emoji) is one allowed character and a lone surrogate is refused.
 */
export const SQS_FORBIDDEN_CHARACTER = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * fauxqs 2.4 tests message bodies with the ranges above but without the `u` flag, so
 * it reads an emoji as two lone surrogates and refuses it, where SQS accepts it. Its
 * callers only call `.test`, so that method of the one shared instance is replaced
 * by the code-point check: the local queue accepts what SQS accepts and refuses what
 * SQS refuses (lone surrogates, U+FFFE, U+FFFF).
 */
function fixMessageBodyCheck(regex: RegExp): void {
  if (regex.flags.includes("u")) return; // fixed upstream
  Object.defineProperty(regex, "test", { value: (text: string) => SQS_FORBIDDEN_CHARACTER.test(text), configurable: true });
}

/**
 * fauxqs 2.4's PersistenceManager writes NULL into the NOT NULL receive count when a
 * message becomes visible again through ChangeMessageVisibility(0) (`npm run queues
 * -- peek` does that), and SQLite refuses the update. SQS keeps the receive count, so
 * the fixed statement clears only the receipt handle and the visibility deadline.
 */
function withReadyUpdateFixed(Base: FauxqsModules["PersistenceManager"]): FauxqsModules["PersistenceManager"] {
  return class extends Base {
    #markReady: { run(id: string): unknown } | undefined;
    updateMessageReady(messageId: string): void {
      const db = (this as unknown as { db: { prepare(sql: string): { run(id: string): unknown } } }).db;
      this.#markReady ??= db.prepare("UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL WHERE message_id = ?");
      this.#markReady.run(messageId);
    }
  };
}
