// AWS list prices used by the cost model, in USD, for the default region
// (eu-west-1, Ireland: lib/config/deployRegion.ts), each with the page that
// states it. One table, so a price change is one edit and `npm run cost`
// reprices everything.
//
// As of 2026-12: the eu-west-1 list prices as known when this table was written.
// They could not be re-read from the build machine (no network): check them
// against the pages (or the AWS Pricing Calculator) before budgeting. The least
// certain are the OpenSearch instance and gp3 rates and the HTTP API rate (Ireland's
// are roughly 10 % above us-east-1's); Lambda, SQS, S3, IoT Core, CloudWatch Logs,
// CloudFront and KMS are Ireland's long-standing rates.

export interface Price {
  usd: number;
  per: string;
  source: string;
}

export const PRICES_AS_OF = "2026-12";
export const PRICES_REGION = "eu-west-1";

const p = (usd: number, per: string, source: string): Price => ({ usd, per, source });

export const PRICES = {
  lambdaRequest: p(0.2 / 1e6, "request", "https://aws.amazon.com/lambda/pricing/"),
  lambdaArmGbSecond: p(0.0000133334, "GB-second (arm64)", "https://aws.amazon.com/lambda/pricing/"),
  lambdaX86GbSecond: p(0.0000166667, "GB-second (x86_64)", "https://aws.amazon.com/lambda/pricing/"),
  httpApiRequest: p(1.11 / 1e6, "request (HTTP API, first 300 M)", "https://aws.amazon.com/api-gateway/pricing/"),
  sqsRequest: p(0.4 / 1e6, "request (standard queue, 64 KB chunk)", "https://aws.amazon.com/sqs/pricing/"),
  sqsFifoRequest: p(0.5 / 1e6, "request (FIFO queue, 64 KB chunk)", "https://aws.amazon.com/sqs/pricing/"),
  s3StandardGbMonth: p(0.023, "GB-month (S3 Standard, first 50 TB)", "https://aws.amazon.com/s3/pricing/"),
  s3Put: p(0.005 / 1000, "PUT/COPY/POST/LIST request", "https://aws.amazon.com/s3/pricing/"),
  s3Get: p(0.0004 / 1000, "GET request", "https://aws.amazon.com/s3/pricing/"),
  searchInstanceHour: {
    "t4g.small.search": p(0.035, "instance-hour", "https://aws.amazon.com/opensearch-service/pricing/"),
    "m7g.large.search": p(0.149, "instance-hour", "https://aws.amazon.com/opensearch-service/pricing/"),
  } as Record<string, Price>,
  searchGp3GbMonth: p(0.134, "GB-month (gp3 EBS)", "https://aws.amazon.com/opensearch-service/pricing/"),
  iotMessage: p(1.0 / 1e6, "message (each 5 KB, publish or delivery)", "https://aws.amazon.com/iot-core/pricing/"),
  iotConnectionMinute: p(0.08 / 1e6, "connection-minute", "https://aws.amazon.com/iot-core/pricing/"),
  logsIngestGb: p(0.57, "GB ingested (CloudWatch Logs)", "https://aws.amazon.com/cloudwatch/pricing/"),
  logsStoredGbMonth: p(0.03, "GB-month stored", "https://aws.amazon.com/cloudwatch/pricing/"),
  cloudfrontGb: p(0.085, "GB out (PriceClass_100: North America, Europe)", "https://aws.amazon.com/cloudfront/pricing/"),
  cloudfrontHttps: p(0.01 / 10_000, "HTTPS request", "https://aws.amazon.com/cloudfront/pricing/"),
  kmsRequest: p(0.03 / 10_000, "request (SecureString decrypt via aws/ssm)", "https://aws.amazon.com/kms/pricing/"),
};

/** The always-free tiers that apply at this scale (monthly). */
export const FREE_TIER = {
  lambdaRequests: 1_000_000,
  lambdaGbSeconds: 400_000,
  sqsRequests: 1_000_000,
  cloudfrontGb: 1024,
  cloudfrontRequests: 10_000_000,
};
