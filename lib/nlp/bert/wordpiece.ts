// WordPiece tokenisation as Hugging Face `tokenizers` does it for BERT-family
// models: added tokens, normaliser, pre-tokenizer, greedy longest-match-first
// pieces, the [CLS] … [SEP] template, truncation, and batch padding into the
// int64 tensors the ONNX export takes.
import { readFile } from "node:fs/promises";
import { parseTokenizerJson, type TokenizerSpec } from "./tokenizerJson.ts";

export interface Encoding {
  ids: number[];
  tokens: string[];
  typeIds: number[];
}

/** Row-major [batch, length] tensors, padded on the right to the longest row. */
export interface BatchEncoding {
  batch: number;
  length: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
}

export interface EncodeOptions {
  /** Total length including [CLS]/[SEP]; defaults to tokenizer.json's truncation.max_length, else no truncation. */
  maxLength?: number;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Splits text around exact occurrences of the given tokens (longest first); a match becomes its id. */
function splitOn(text: string, tokens: ReadonlyMap<string, number>, pattern: RegExp | null): (string | number)[] {
  if (!pattern || !text) return [text];
  const out: (string | number)[] = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(tokens.get(m[0])!);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function alternation(tokens: Iterable<string>): RegExp | null {
  const list = [...tokens].filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
  return list.length ? new RegExp(list.map(escapeRegExp).join("|"), "gu") : null;
}

export class WordPieceTokenizer {
  readonly vocabSize: number;
  private readonly idToToken = new Map<number, string>();
  private readonly rawAdded = new Map<string, number>();
  private readonly rawPattern: RegExp | null;
  private readonly normalizedAdded = new Map<string, number>();
  private readonly normalizedPattern: RegExp | null;
  // Headlines repeat words a lot; the cut of a word never changes.
  private readonly wordCache = new Map<string, readonly number[]>();

  constructor(private readonly spec: TokenizerSpec) {
    for (const [token, id] of spec.vocab) this.idToToken.set(id, token);
    for (const t of spec.addedTokens) {
      this.idToToken.set(t.id, t.content);
      if (t.normalized) this.normalizedAdded.set(spec.normalize(t.content), t.id);
      else this.rawAdded.set(t.content, t.id);
    }
    let maxId = -1;
    for (const id of this.idToToken.keys()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
    this.rawPattern = alternation(this.rawAdded.keys());
    this.normalizedPattern = alternation(this.normalizedAdded.keys());
  }

  /** Reads and validates a tokenizer.json file. */
  static async fromFile(path: string): Promise<WordPieceTokenizer> {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, "utf8"));
    } catch (err) {
      throw new Error(`${path}: cannot read tokenizer (${(err as Error).message})`);
    }
    return new WordPieceTokenizer(parseTokenizerJson(json, path));
  }

  /** tokenizer.json's truncation.max_length, if it sets one. */
  get truncationMaxLength(): number | undefined {
    return this.spec.truncation?.maxLength;
  }

  /** Special tokens the template adds around one text. */
  get specialTokenCount(): number {
    return this.spec.template.before.length + this.spec.template.after.length;
  }

  token(id: number): string | undefined {
    return this.idToToken.get(id);
  }

  /** Greedy longest-match-first pieces of one pre-tokenized word; the whole word is [UNK] if any part fails. */
  private wordPiece(word: string): readonly number[] {
    const cached = this.wordCache.get(word);
    if (cached) return cached;
    const { vocab, unkId, continuingSubwordPrefix, maxInputCharsPerWord } = this.spec;
    const chars = Array.from(word); // code points, as Rust counts chars
    let ids: number[] = [];
    if (chars.length > maxInputCharsPerWord) {
      ids = [unkId];
    } else {
      for (let start = 0; start < chars.length; ) {
        let end = chars.length;
        let found: number | undefined;
        for (; end > start; end--) {
          const piece = (start > 0 ? continuingSubwordPrefix : "") + chars.slice(start, end).join("");
          found = vocab.get(piece);
          if (found !== undefined) break;
        }
        if (found === undefined) {
          ids = [unkId];
          break;
        }
        ids.push(found);
        start = end;
      }
    }
    if (this.wordCache.size >= 50_000) this.wordCache.clear();
    this.wordCache.set(word, ids);
    return ids;
  }

  /** Token ids of one text, without special tokens or truncation. */
  private contentIds(text: string): number[] {
    const ids: number[] = [];
    for (const raw of splitOn(text, this.rawAdded, this.rawPattern)) {
      if (typeof raw === "number") {
        ids.push(raw);
        continue;
      }
      for (const part of splitOn(this.spec.normalize(raw), this.normalizedAdded, this.normalizedPattern)) {
        if (typeof part === "number") ids.push(part);
        else for (const word of this.spec.preTokenize(part)) ids.push(...this.wordPiece(word));
      }
    }
    return ids;
  }

  /** The pieces of a text as strings (e.g. `un ##aff ##able`), without special tokens. */
  tokenize(text: string): string[] {
    return this.contentIds(text).map((id) => this.idToToken.get(id) ?? this.spec.unkToken);
  }

  /** One text with its special tokens, truncated to `maxLength` tokens in total. */
  encode(text: string, options: EncodeOptions = {}): Encoding {
    const { before, after, typeId } = this.spec.template;
    let content = this.contentIds(text);
    const maxLength = options.maxLength ?? this.spec.truncation?.maxLength;
    if (maxLength !== undefined) {
      const room = maxLength - before.length - after.length;
      if (room < 1) throw new RangeError(`maxLength ${maxLength} leaves no room for text beside ${before.length + after.length} special tokens`);
      if (content.length > room) content = this.spec.truncation?.direction === "Left" ? content.slice(content.length - room) : content.slice(0, room);
    }
    const ids = [...before.map((s) => s.id), ...content, ...after.map((s) => s.id)];
    return {
      ids,
      tokens: ids.map((id) => this.idToToken.get(id) ?? this.spec.unkToken),
      typeIds: [...before.map((s) => s.typeId), ...content.map(() => typeId), ...after.map((s) => s.typeId)],
    };
  }

  /**
   * A batch padded on the right to its longest row. Always right: BERT's
   * position ids count from the first slot, so left padding would shift them.
   */
  encodeBatch(texts: readonly string[], options: EncodeOptions = {}): BatchEncoding {
    return this.pad(texts.map((t) => this.encode(t, options)));
  }

  /** Pads encodings made by `encode` into one batch (see encodeBatch). */
  pad(rows: readonly Encoding[]): BatchEncoding {
    const length = Math.max(0, ...rows.map((r) => r.ids.length));
    const n = rows.length * length;
    const inputIds = new BigInt64Array(n).fill(BigInt(this.spec.padding.id));
    const attentionMask = new BigInt64Array(n);
    const tokenTypeIds = new BigInt64Array(n).fill(BigInt(this.spec.padding.typeId));
    rows.forEach((row, r) => {
      row.ids.forEach((id, i) => {
        inputIds[r * length + i] = BigInt(id);
        attentionMask[r * length + i] = 1n;
        tokenTypeIds[r * length + i] = BigInt(row.typeIds[i]!);
      });
    });
    return { batch: rows.length, length, inputIds, attentionMask, tokenTypeIds };
  }
}
