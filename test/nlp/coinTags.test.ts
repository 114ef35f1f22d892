import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoinListError, defaultCoinList, parseCoinList } from "../../lib/nlp/coins/coinList.ts";
import { tagCoins } from "../../lib/nlp/coins/tagCoins.ts";
import { loadNewsFixture, loadNewsFixtures } from "../fixtures/news/index.ts";

const symbols = (input: Parameters<typeof tagCoins>[0]) => tagCoins(input).map((t) => t.symbol);
const tagged = (text: string, symbol: string) => symbols(text).includes(symbol);

describe("coin tags on the fixtures", () => {
  const expectations: Record<string, { top: string; has: string[]; not?: string[]; exactly?: string[] }> = {
    "market-report-long": { top: "BTC", has: ["BTC", "ETH", "SOL", "XRP", "DOGE", "ADA", "LINK", "AVAX"] },
    "exchange-hack": { top: "ETH", has: ["ETH", "USDT", "SOL", "TRX"] },
    "etf-approval": { top: "SOL", has: ["SOL", "BTC", "ETH", "XRP", "ADA", "AVAX"] },
    "flash-short": { top: "XRP", has: ["XRP"], exactly: ["XRP"] },
    // Full of "gas", "one", "near", "link", "flow", "sand": only Ethereum is meant.
    "ambiguous-words": { top: "ETH", has: ["ETH"], exactly: ["ETH"] },
    // The same words with evidence: $LINK, LINK/USDT, NEARUSDT, "UNI token", "Harmony's ONE token".
    "altcoin-tickers": { top: "UNI", has: ["LINK", "NEAR", "UNI", "DOT", "ATOM", "ONE", "BTC", "ETH"], not: ["USDT", "GAS"] },
  };
  for (const [name, e] of Object.entries(expectations)) {
    it(name, () => {
      const f = loadNewsFixture(name);
      const tags = tagCoins({ title: f.title, body: f.content });
      const got = tags.map((t) => t.symbol);
      assert.equal(got[0], e.top, got.join(","));
      for (const s of e.has) assert.ok(got.includes(s), `${s} missing from ${got.join(",")}`);
      for (const s of e.not ?? []) assert.ok(!got.includes(s), `${s} tagged`);
      if (e.exactly) assert.deepEqual(got, e.exactly);
    });
  }

  it("tags are MQTT-safe, scored in (0, 1], highest first, with mention counts", () => {
    for (const f of loadNewsFixtures()) {
      const tags = tagCoins({ title: f.title, body: f.content });
      tags.forEach((t, i) => {
        assert.match(t.symbol, /^[A-Z0-9]+$/);
        assert.ok(t.score > 0 && t.score <= 1);
        assert.ok(t.mentions >= 1 && Number.isInteger(t.mentions));
        if (i > 0) assert.ok(t.score <= tags[i - 1]!.score);
      });
    }
  });

  it("the subject outscores a passing mention", () => {
    const f = loadNewsFixture("market-report-long");
    const tags = tagCoins({ title: f.title, body: f.content });
    const btc = tags.find((t) => t.symbol === "BTC")!;
    const doge = tags.find((t) => t.symbol === "DOGE")!;
    assert.ok(btc.score > 0.95 && doge.score < 0.7, `${btc.score} ${doge.score}`);
    assert.ok(btc.mentions >= 10);
  });
});

describe("ambiguous tickers: not tagged without evidence", () => {
  const plain: [string, string][] = [
    ["LINK", "Click the link to the article for the full report."],
    ["LINK", "There is a LINK at the bottom of the page."],
    ["GAS", "Gas fees on the network fell to their lowest level this year."],
    ["GAS", "Users paid less for gas on Tuesday."],
    ["ONE", "It was one of the best weeks for the market this year."],
    ["ONE", "ONE thing is clear: buyers are back."],
    ["NEAR", "The price traded near the high of the day."],
    ["NEAR", "Prices hovered NEAR the record."],
    ["SAND", "Kids built castles in the sand while traders watched the charts."],
    ["DOT", "Connect the dots: a dot on the chart marks each trade."],
    ["UNI", "She studied economics at uni before joining the fund."],
    ["ATOM", "Not an atom of doubt remained."],
    ["FLOW", "Capital flow into the funds slowed."],
    ["OP", "In an op-ed, the OP argued that fees are too high."],
    ["APE", "Retail traders ape into every new listing."],
    ["MANA", "The game lets players restore mana between rounds."],
    ["COMP", "Executive comp packages rose sharply."],
    ["BAT", "Nobody batted an eye; a bat flew over the trading floor."],
    ["GRT", "The graph shows the price since January."],
    ["ICP", "The ICP figure was revised in the report."],
    ["TON", "The miner moved a ton of equipment."],
    ["AVAX", "An avalanche of liquidations hit the market."],
    ["AVAX", "Avalanche Of Liquidations Hits Crypto Markets"],
    ["XLM", "Stellar results lifted the shares. It was a stellar quarter."],
    ["ONE", "Harmony returned to the market after a volatile week."],
    // Beside one ticker only, or only beside other ambiguous tickers: not a list of coins.
    ["ONE", "BTC and ONE other coin led the gains."],
    ["ONE", "ONE and LINK were the words of the day."],
    ["GAS", "GAS, OIL and GOLD prices rose together."],
    ["DOT", "SOL, AVAX AND DOT LEAD A SHOUTED ALTCOIN RALLY"],
    ["XRP", "Ripple effects of the rate decision spread across markets."],
    ["XRP", "Ripple in the bond market unsettled traders."],
  ];
  for (const [symbol, text] of plain) {
    it(`${symbol}: ${text}`, () => assert.ok(!tagged(text, symbol), JSON.stringify(tagCoins(text))));
  }

  it("nothing at all in a SHOUTED line of ordinary words", () => {
    assert.deepEqual(symbols("CLICK THE LINK BELOW TO READ ONE OF OUR NEAR-TERM GAS PRICE FORECASTS"), []);
  });
});

describe("ambiguous tickers: tagged with evidence", () => {
  const evidenced: [string, string][] = [
    ["LINK", "$LINK rallied 14% overnight."],
    ["LINK", "The LINK token rallied after the announcement."],
    ["LINK", "LINK price targets were raised by analysts."],
    ["LINK", "LINK holders moved coins into staking."],
    ["LINK", "Chainlink (LINK) rose 4%."],
    ["LINK", "The LINK/USDT pair led volume on Binance."],
    ["LINK", "Open interest in LINKUSDT perpetuals hit a record."],
    ["LINK", "Chainlink said banks would use its network. LINK was flat."],
    ["GAS", "$GAS jumped after the listing."],
    ["GAS", "The GAS/USDT market was halted."],
    ["GAS", "Neo Gas surged on the news."],
    ["ONE", "Harmony's ONE token jumped 22%."],
    ["ONE", "ONE/USDT volume tripled."],
    ["NEAR", "$NEAR led the gainers."],
    ["NEAR", "NEAR Protocol's token gained 11%."],
    ["NEAR", "The NEARUSDT contract saw record open interest."],
    ["SAND", "The Sandbox (SAND) announced a new season."],
    ["SAND", "SAND/USDT dropped 5%."],
    ["DOT", "Polkadot's DOT added 6%."],
    ["DOT", "DOT-USD fell after the unlock."],
    ["UNI", "Uniswap's UNI token climbed 9%."],
    ["UNI", "$UNI holders voted for the fee switch."],
    ["ATOM", "ATOM, the token of the Cosmos Hub, rose 5%."],
    ["ATOM", "ATOM staking yields fell."],
    ["FLOW", "FLOW tokens were unlocked on Friday."],
    ["OP", "Optimism (OP) fell after the unlock."],
    ["APE", "ApeCoin slid; APE/USDT hit a yearly low."],
    ["MANA", "Decentraland's MANA rose 3%."],
    ["COMP", "Compound (COMP) governance approved the change."],
    ["BAT", "BAT token rewards were cut."],
    ["GRT", "The Graph (GRT) added a new chain."],
    ["ICP", "ICP price jumped after the upgrade of the Internet Computer."],
    ["TON", "The TON blockchain processed a record number of transfers."],
    ["TON", "Toncoin rose as Telegram added wallet features."],
    ["AVAX", "Traders moved stablecoins to Avalanche after the upgrade."],
    ["XLM", "Payments on Stellar settle in seconds."],
    // The coin's name right before its ticker, even at a sentence start or in a Title Case headline.
    ["ONE", "Harmony ONE bridge hacked"],
    ["ONE", "Attackers Drain The Harmony ONE Bridge"],
    ["DOT", "Polkadot DOT holders vote on the treasury."],
    // An ambiguous ticker listed with other tickers.
    ["DOT", "SOL, AVAX and DOT lead altcoin rally"],
    ["ONE", "BTC, ETH, ONE and SOL were the most traded."],
    ["LINK", "ADA, XRP & LINK slipped in early trading."],
    // What a company does, after a word-like name at a sentence start.
    ["XRP", "Ripple wins against SEC"],
    ["XRP", "Ripple sues the regulator over its guidance."],
  ];
  for (const [symbol, text] of evidenced) {
    it(`${symbol}: ${text}`, () => assert.ok(tagged(text, symbol), JSON.stringify(tagCoins(text))));
  }

  it("the quote currency of a pair is not tagged", () => {
    assert.deepEqual(symbols("The LINK/USDT pair and the ETHBTC cross were busy.").sort(), ["ETH", "LINK"]);
  });

  it('"Chainlink (LINK)" is one mention', () => {
    assert.deepEqual(tagCoins("Chainlink (LINK) rose 4%.").map((t) => [t.symbol, t.mentions]), [["LINK", 1]]);
  });

  it('"Harmony ONE" is one mention, and only of ONE', () => {
    assert.deepEqual(tagCoins("Developers of Harmony ONE bridge funds moved.").map((t) => [t.symbol, t.mentions]), [["ONE", 1]]);
  });

  it("a list tags every coin in it, each once", () => {
    assert.deepEqual(symbols("SOL, AVAX and DOT lead altcoin rally").sort(), ["AVAX", "DOT", "SOL"]);
  });
});

describe("names, unambiguous tickers and aliases", () => {
  it("names match case-insensitively on word boundaries", () => {
    assert.ok(tagged("bitcoin fell", "BTC"));
    assert.ok(tagged("BITCOIN FELL SHARPLY ON MONDAY", "BTC"));
    assert.ok(tagged("Bitcoin's dominance rose", "BTC"));
    assert.ok(!tagged("Electron apps and Tronics", "TRX"));
    assert.ok(!tagged("Ethereumish ideas", "ETH"));
  });

  it("longer names win: Bitcoin Cash is not Bitcoin", () => {
    assert.deepEqual(symbols("Bitcoin Cash rose 3%."), ["BCH"]);
    assert.deepEqual(symbols("Ethereum Classic forked."), ["ETC"]);
  });

  it("unambiguous tickers match as upper-case words or cashtags, not lower case", () => {
    assert.ok(tagged("BTC rose 2%.", "BTC"));
    assert.ok(tagged("Buy $btc now, says the post.", "BTC"));
    assert.ok(!tagged("the btc rate", "BTC"));
    assert.ok(tagged("XRP rose.", "XRP"));
  });

  it("aliases map to the canonical ticker", () => {
    assert.deepEqual(symbols("XBT futures expired."), ["BTC"]);
    assert.deepEqual(symbols("He sent ₿0.5 to the address."), ["BTC"]);
    assert.deepEqual(symbols("MATIC holders migrated to the new token."), ["POL"]);
    assert.deepEqual(symbols("Ether slid 2%."), ["ETH"]);
    assert.deepEqual(symbols("XBTUSD funding turned negative."), ["BTC"]);
  });

  it("a word-like name counts capitalised mid-sentence, not at a sentence start or in lower case", () => {
    assert.ok(tagged("Developers on Polygon shipped an upgrade.", "POL"));
    assert.ok(!tagged("A polygon has many sides.", "POL"));
    assert.ok(!tagged("Polygon shapes were drawn.", "POL"));
    assert.ok(tagged("Polygon network fees fell.", "POL"), "context word after the name");
  });

  it("takes a title and a body; the title makes a coin central", () => {
    const body = "Bitcoin rose 2%. Bitcoin miners sold less. Bitcoin funds saw inflows. Solana was flat.";
    const plain = tagCoins(body).find((t) => t.symbol === "SOL")!;
    const titled = tagCoins({ title: "Solana flat as Bitcoin rises", body }).find((t) => t.symbol === "SOL")!;
    assert.ok(titled.score > plain.score);
    assert.equal(titled.mentions, 2);
  });

  it("empty text: no tags", () => {
    assert.deepEqual(tagCoins(""), []);
    assert.deepEqual(tagCoins({ title: "", body: "" }), []);
  });

  it("minScore drops weak tags", () => {
    const f = loadNewsFixture("market-report-long");
    const all = tagCoins(f.content);
    const strong = tagCoins(f.content, { minScore: 0.6 });
    assert.ok(strong.length < all.length && strong.length > 0);
    assert.ok(strong.every((t) => t.score >= 0.6));
  });
});

describe("coin list validation", () => {
  it("the shipped list loads: 100+ coins, MQTT-safe symbols", () => {
    const coins = defaultCoinList();
    assert.ok(coins.length >= 100, `${coins.length}`);
    for (const c of coins) assert.match(c.symbol, /^[A-Z0-9]+$/);
    const btc = coins.find((c) => c.symbol === "BTC")!;
    assert.deepEqual(btc.tickers, ["BTC", "XBT"]);
    assert.deepEqual(btc.signs, ["₿"]);
    for (const s of ["ONE", "GAS", "SAND", "LINK", "NEAR", "DOT", "UNI", "ATOM", "FLOW", "OP", "APE", "MANA", "COMP", "BAT", "GRT", "ICP", "TON"]) {
      assert.ok(coins.find((c) => c.symbol === s)?.ambiguousTickers.has(s), `${s} marked ambiguous`);
    }
  });

  it("a custom list can be passed", () => {
    const coins = parseCoinList([{ symbol: "FOO", name: "Foocoin" }]);
    assert.deepEqual(tagCoins("Foocoin and Bitcoin rose.", { coins }).map((t) => t.symbol), ["FOO"]);
  });

  const bad: [string, unknown, RegExp][] = [
    ["not an array", { symbol: "BTC" }, /expected an array/],
    ["duplicate symbol", [{ symbol: "BTC", name: "Bitcoin" }, { symbol: "BTC", name: "Bitcoin Two" }], /\[1\] \(BTC\): duplicate ticker "BTC" \(already used by test\.json\[0\] \(BTC\)\)/],
    ["alias claimed twice", [{ symbol: "ETH", name: "Ethereum", aliases: ["Ether"] }, { symbol: "ETC", name: "Ethereum Classic", aliases: ["ether"] }], /\[1\] \(ETC\): duplicate name "ether" \(already used by test\.json\[0\] \(ETH\)\)/],
    ["ticker alias claimed twice", [{ symbol: "BTC", name: "Bitcoin", aliases: ["XBT"] }, { symbol: "XBT", name: "Other" }], /\[1\] \(XBT\): duplicate ticker "XBT"/],
    ["empty name", [{ symbol: "BTC", name: "  " }], /\[0\] \(BTC\): empty name/],
    ["missing name", [{ symbol: "BTC" }], /\[0\] \(BTC\): empty name/],
    ["lower-case symbol", [{ symbol: "btc", name: "Bitcoin" }], /\[0\] \(btc\): symbol must be/],
    ["symbol with a dash", [{ symbol: "BTC-X", name: "Bitcoin" }], /symbol must be 1–12 characters A–Z0–9/],
    ["unknown field", [{ symbol: "LINK", name: "Chainlink", ambigousTickers: ["LINK"] }], /\[0\] \(LINK\): unknown field "ambigousTickers"/],
    ["ambiguous ticker not its own", [{ symbol: "LINK", name: "Chainlink", ambiguousTickers: ["LNK"] }], /ambiguous ticker "LNK" is not one of its tickers/],
    ["word name not its own", [{ symbol: "AVAX", name: "Avalanche", wordNames: ["Avalanch"] }], /word name "Avalanch" is not one of its names/],
    ["empty alias", [{ symbol: "BTC", name: "Bitcoin", aliases: [""] }], /aliases has an empty or untrimmed entry/],
    ["not an object", ["BTC"], /\[0\]: expected an object/],
  ];
  for (const [what, raw, message] of bad) {
    it(`rejects: ${what}`, () => {
      assert.throws(() => parseCoinList(raw, "test.json"), (e: unknown) => e instanceof CoinListError && message.test(e.message));
    });
  }
});
