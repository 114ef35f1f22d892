import type { SocialSource } from "../../../contracts/social.ts";
import type { LogSink } from "../../log/LogSink.ts";
import type { Secret } from "../../secrets/Secret.ts";
import { JetstreamSession } from "../sources/jetstream/JetstreamSession.ts";
import type { SourceSession, SourceSink } from "../sources/SourcePost.ts";
import { XStreamSession } from "../sources/x/XStreamSession.ts";
import { buildXRules } from "../sources/x/xRules.ts";
import type { SocialCollectorConfig } from "./SocialCollectorConfig.ts";

/** Opens one source's stream; the sink gets every event it reads. */
export type OpenSource = (source: SocialSource, sink: SourceSink) => SourceSession;

/** The configured sources' sessions: Jetstream as configured, X with its bearer token and the rules built from the keywords. */
export function openSocialSource(config: SocialCollectorConfig, options: { xToken?: Secret; logger?: LogSink }): OpenSource {
  // Built once: a keyword set that cannot fit X's rule limits fails the cold start, naming the setting.
  const xRules = config.sources.includes("x") ? buildXRules(config.keywords, { maxChars: config.x.ruleMaxChars, maxRules: config.x.maxRules }) : [];
  return (source, sink) => {
    if (source === "jetstream") return new JetstreamSession({ url: config.jetstreamUrl, reconnect: config.reconnect, rewindUs: config.resumeOverlapUs }, sink, options.logger);
    if (!options.xToken) throw new Error("the x source needs its bearer token (X_BEARER_TOKEN / X_BEARER_TOKEN_PARAMETER)");
    return new XStreamSession({ url: config.x.url, token: options.xToken, rules: xRules, reconnect: config.reconnect, backfill: config.x.backfill }, sink, options.logger);
  };
}
