// Reads a Hugging Face fast-tokenizer file (tokenizer.json) into the pieces a
// WordPiece pipeline needs. Every refusal names the file and the field, so a
// user who points the project at an unsupported export knows what to change.
import { bertNormalizer, sequence as normalizerSequence, stripMarks, unicodeForm, lowercase, type Normalize } from "./normalizer.ts";
import { bertPreTokenizer, sequence as preTokenizerSequence, whitespacePreTokenizer, whitespaceSplit, type PreTokenize } from "./preTokenizer.ts";

export interface SpecialToken {
  token: string;
  id: number;
  typeId: number;
}

export interface AddedToken {
  content: string;
  id: number;
  /** Matched after normalisation (true) or in the raw text (false). */
  normalized: boolean;
}

export interface TokenizerSpec {
  vocab: ReadonlyMap<string, number>;
  unkToken: string;
  unkId: number;
  continuingSubwordPrefix: string;
  maxInputCharsPerWord: number;
  normalize: Normalize;
  preTokenize: PreTokenize;
  addedTokens: readonly AddedToken[];
  /** The single-sequence template: specials before and after the text, and the text's type id. */
  template: { before: readonly SpecialToken[]; after: readonly SpecialToken[]; typeId: number };
  truncation: { maxLength: number; direction: "Right" | "Left" } | null;
  padding: { id: number; typeId: number };
}

export class TokenizerConfigError extends Error {
  override name = "TokenizerConfigError";
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function fail(source: string, field: string, reason: string): never {
  throw new TokenizerConfigError(`${source}: ${field} ${reason}`);
}

function bool(o: Json, key: string, fallback: boolean): boolean {
  const v = o[key];
  return typeof v === "boolean" ? v : fallback;
}

function parseNormalizer(n: unknown, source: string, field = "normalizer"): Normalize {
  if (n === null || n === undefined) return (t) => t;
  if (!isObject(n)) fail(source, field, "must be an object or null");
  switch (n.type) {
    case "BertNormalizer":
      return bertNormalizer({
        cleanText: bool(n, "clean_text", true),
        handleChineseChars: bool(n, "handle_chinese_chars", true),
        stripAccents: typeof n.strip_accents === "boolean" ? n.strip_accents : null,
        lowercase: bool(n, "lowercase", true),
      });
    case "Sequence": {
      if (!Array.isArray(n.normalizers)) fail(source, `${field}.normalizers`, "must be an array");
      return normalizerSequence(n.normalizers.map((m, i) => parseNormalizer(m, source, `${field}.normalizers[${i}]`)));
    }
    case "NFC":
    case "NFD":
    case "NFKC":
    case "NFKD":
      return unicodeForm(n.type);
    case "Lowercase":
      return lowercase;
    case "StripAccents":
      return stripMarks;
    default:
      fail(source, `${field}.type`, `is ${JSON.stringify(n.type)}; supported: BertNormalizer, Sequence, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents`);
  }
}

function parsePreTokenizer(p: unknown, source: string, field = "pre_tokenizer"): PreTokenize {
  if (!isObject(p)) fail(source, field, "is missing (a BERT tokenizer has a BertPreTokenizer)");
  switch (p.type) {
    case "BertPreTokenizer":
      return bertPreTokenizer;
    case "Whitespace":
      return whitespacePreTokenizer;
    case "WhitespaceSplit":
      return whitespaceSplit;
    case "Sequence": {
      if (!Array.isArray(p.pretokenizers)) fail(source, `${field}.pretokenizers`, "must be an array");
      return preTokenizerSequence(p.pretokenizers.map((m, i) => parsePreTokenizer(m, source, `${field}.pretokenizers[${i}]`)));
    }
    default:
      fail(source, `${field}.type`, `is ${JSON.stringify(p.type)}; supported: BertPreTokenizer, Whitespace, WhitespaceSplit, Sequence`);
  }
}

function tokenId(vocab: ReadonlyMap<string, number>, token: string, source: string, field: string): number {
  const id = vocab.get(token);
  if (id === undefined) fail(source, field, `names ${JSON.stringify(token)}, which is not in model.vocab`);
  return id;
}

type Template = TokenizerSpec["template"];

function parsePostProcessor(p: unknown, vocab: ReadonlyMap<string, number>, source: string, field = "post_processor"): Template {
  if (p === null || p === undefined) return { before: [], after: [], typeId: 0 };
  if (!isObject(p)) fail(source, field, "must be an object or null");
  switch (p.type) {
    case "BertProcessing":
    case "RobertaProcessing": {
      // cls/sep are [token, id] pairs.
      const pair = (key: "cls" | "sep"): SpecialToken => {
        const v = p[key];
        if (!Array.isArray(v) || typeof v[0] !== "string" || typeof v[1] !== "number") fail(source, `${field}.${key}`, "must be [token, id]");
        return { token: v[0], id: v[1], typeId: 0 };
      };
      return { before: [pair("cls")], after: [pair("sep")], typeId: 0 };
    }
    case "TemplateProcessing": {
      if (!Array.isArray(p.single)) fail(source, `${field}.single`, "must be an array");
      const specials = isObject(p.special_tokens) ? p.special_tokens : {};
      const before: SpecialToken[] = [];
      const after: SpecialToken[] = [];
      let typeId: number | undefined;
      p.single.forEach((piece, i) => {
        const at = `${field}.single[${i}]`;
        if (isObject(piece) && isObject(piece.Sequence)) {
          if (typeId !== undefined) fail(source, at, "repeats the sequence");
          typeId = typeof piece.Sequence.type_id === "number" ? piece.Sequence.type_id : 0;
        } else if (isObject(piece) && isObject(piece.SpecialToken) && typeof piece.SpecialToken.id === "string") {
          const name = piece.SpecialToken.id;
          const type = typeof piece.SpecialToken.type_id === "number" ? piece.SpecialToken.type_id : 0;
          const entry = specials[name];
          // A special may expand to several ids; usually it is one.
          const ids = isObject(entry) && Array.isArray(entry.ids) ? (entry.ids as unknown[]) : [tokenId(vocab, name, source, at)];
          const tokens = isObject(entry) && Array.isArray(entry.tokens) ? (entry.tokens as unknown[]) : [name];
          ids.forEach((id, k) => {
            if (typeof id !== "number") fail(source, `${field}.special_tokens.${name}.ids`, "must be numbers");
            (typeId === undefined ? before : after).push({ token: String(tokens[k] ?? name), id, typeId: type });
          });
        } else {
          fail(source, at, "must be {Sequence} or {SpecialToken}");
        }
      });
      if (typeId === undefined) fail(source, `${field}.single`, "has no Sequence");
      return { before, after, typeId };
    }
    case "Sequence": {
      // e.g. [ByteLevel, TemplateProcessing]: only the template adds tokens.
      if (!Array.isArray(p.processors)) fail(source, `${field}.processors`, "must be an array");
      const templating = p.processors.findIndex((m) => isObject(m) && m.type !== "ByteLevel");
      if (templating < 0) return { before: [], after: [], typeId: 0 };
      return parsePostProcessor(p.processors[templating], vocab, source, `${field}.processors[${templating}]`);
    }
    default:
      fail(source, `${field}.type`, `is ${JSON.stringify(p.type)}; supported: TemplateProcessing, BertProcessing, RobertaProcessing, Sequence`);
  }
}

function parseTruncation(t: unknown, source: string): TokenizerSpec["truncation"] {
  if (t === null || t === undefined) return null;
  if (!isObject(t)) fail(source, "truncation", "must be an object or null");
  const maxLength = t.max_length;
  if (typeof maxLength !== "number" || !Number.isInteger(maxLength) || maxLength < 1) fail(source, "truncation.max_length", "must be a positive integer");
  return { maxLength, direction: t.direction === "Left" ? "Left" : "Right" };
}

function parsePadding(p: unknown, vocab: ReadonlyMap<string, number>): TokenizerSpec["padding"] {
  if (isObject(p) && typeof p.pad_id === "number") return { id: p.pad_id, typeId: typeof p.pad_type_id === "number" ? p.pad_type_id : 0 };
  // No padding block: BERT vocabularies call it [PAD] (id 0 in the originals).
  return { id: vocab.get("[PAD]") ?? 0, typeId: 0 };
}

function parseAddedTokens(a: unknown, source: string): AddedToken[] {
  if (a === null || a === undefined) return [];
  if (!Array.isArray(a)) fail(source, "added_tokens", "must be an array");
  return a.map((t, i) => {
    if (!isObject(t) || typeof t.content !== "string" || typeof t.id !== "number") fail(source, `added_tokens[${i}]`, "must have content and id");
    return { content: t.content, id: t.id, normalized: t.normalized === true };
  });
}

/** Validates a parsed tokenizer.json; `source` names the file in errors. */
export function parseTokenizerJson(json: unknown, source = "tokenizer.json"): TokenizerSpec {
  if (!isObject(json)) fail(source, "(root)", "must be a JSON object");
  const model = json.model;
  if (!isObject(model)) fail(source, "model", "is missing");
  if (model.type !== "WordPiece") {
    fail(source, "model.type", `is ${JSON.stringify(model.type)}; only "WordPiece" (BERT, DistilBERT, ELECTRA…) is supported, not BPE/Unigram (RoBERTa, XLM-R, DeBERTa…)`);
  }
  if (!isObject(model.vocab)) fail(source, "model.vocab", "must be an object of token → id");
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(model.vocab)) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0) fail(source, `model.vocab[${JSON.stringify(token)}]`, "must be a non-negative integer id");
    vocab.set(token, id);
  }
  const unkToken = typeof model.unk_token === "string" ? model.unk_token : "[UNK]";
  const unkId = tokenId(vocab, unkToken, source, "model.unk_token");
  const maxChars = model.max_input_chars_per_word;
  return {
    vocab,
    unkToken,
    unkId,
    continuingSubwordPrefix: typeof model.continuing_subword_prefix === "string" ? model.continuing_subword_prefix : "##",
    maxInputCharsPerWord: typeof maxChars === "number" && maxChars > 0 ? maxChars : 100,
    normalize: parseNormalizer(json.normalizer, source),
    preTokenize: parsePreTokenizer(json.pre_tokenizer, source),
    addedTokens: parseAddedTokens(json.added_tokens, source),
    template: parsePostProcessor(json.post_processor, vocab, source),
    truncation: parseTruncation(json.truncation, source),
    padding: parsePadding(json.padding, vocab),
  };
}
