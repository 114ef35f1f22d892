import { Logger } from "@aws-lambda-powertools/logger";

/**
 * One structured JSON logger per function container. The service name comes
 * from POWERTOOLS_SERVICE_NAME (set per function in serverless.yml); the level
 * from POWERTOOLS_LOG_LEVEL, or CRYPTOVIZ_LOG_LEVEL (tests set SILENT).
 */
export function createLogger(serviceName: string): Logger {
  const level = process.env.CRYPTOVIZ_LOG_LEVEL ?? process.env.POWERTOOLS_LOG_LEVEL ?? "INFO";
  return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName, logLevel: level as "INFO" });
}
