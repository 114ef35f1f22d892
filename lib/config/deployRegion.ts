// The region a deployed stage lives in unless the operator says otherwise: the
// default of `serverless deploy` (serverless.yml provider.region, which cannot
// import this, so test/serverless/package.test.ts checks the two agree) and of the
// operator scripts (queues, replay) for a deployed stage.
//
// Ireland: Binance, Kucoin and BitMEX all accept connections from its addresses.
// Tokyo is not an option (BitMEX has restricted Japan since April 2020), nor is any
// US region (Binance answers HTTP 451, BitMEX blocks the US). Reasons and sources:
// README "Region".
export const DEPLOY_DEFAULT_REGION = "eu-west-1";
