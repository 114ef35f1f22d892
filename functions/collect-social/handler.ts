import { socialCollectorAdapters } from "../../lib/adapters/aws/socialAdapters.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { scheduleHandler } from "../../lib/lambda/scheduleHandler.ts";
import { readSocialCollectorConfig } from "../../lib/social/collect/SocialCollectorConfig.ts";
import { scheduledSocialCollection } from "../../lib/social/collect/scheduledSocialCollection.ts";

// Created once per container; a bad setting fails the cold start naming the variable.
const logger = createLogger("collect-social");
const config = readSocialCollectorConfig();

/**
 * Scheduled (rate(1 minute)): one window over the configured social sources,
 * resuming from each source's cursor; matched posts archived and enqueued on
 * social-tasks. A container retired mid-window ships what it has read.
 */
export const handler = scheduleHandler(scheduledSocialCollection(config, { ...socialCollectorAdapters(config, logger), logger }), { logger, abortOnShutdown: true });
