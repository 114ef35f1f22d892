// Small word lists for the keyword extractor: what is too generic to be a
// keyword, and cues for typing proper-noun sequences (wink's lite model only
// recognises numeric entities: DATE, TIME, DURATION, MONEY, PERCENT, CARDINAL,
// ORDINAL, …, not organisations, people or places).

const set = (words: string) => new Set(words.trim().split(/\s+/));

/** Nouns too generic to be a keyword alone or as the head of a phrase. */
export const GENERIC_HEADS = set(`
  year week day month hour minute second time today tomorrow yesterday people person thing way lot part number percent
  level statement company firm analyst trader researcher executive head end side range period share article newsletter
  update sign question case point term kind type amount total rest majority half bit place fact reason result issue
  matter area set use form group order week's spokesperson official officer chief member source report story news
  comment view move step deal plan change rise fall gain loss drop high low record note reader user customer
`);

/** Nouns that may head a phrase ("crypto market") but say too little alone. */
export const GENERIC_SINGLE = new Set([
  ...GENERIC_HEADS,
  ...set("market price investor trading value data activity demand supply volume fee cost asset token coin holder buyer seller rate"),
]);

/** Adjectives that say nothing about the topic: stripped from the front of a phrase. */
export const GENERIC_MODIFIERS = set(`
  other new many several last next more most first second third recent such same few further previous early late latest
  largest biggest highest lowest major big small large top total main certain various own much little good bad high low
  strong weak current former single additional overall entire whole key important significant possible potential
  related similar different own only broad narrow full half past future final initial smaller larger bigger higher
  lower greater stronger weaker better worse
`);

/** Capitalised words that are not names: days, months, titles, pronoun-like words. */
export const NOT_NAMES = set(`
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september
  october november december mr mrs ms dr i the a an this that these those it he she we they you our its their his her
  ceo cfo cto coo chair chairman chairwoman president governor senator read share subscribe according however
`);

/** Last words that make a proper-noun sequence an organisation. */
export const ORG_WORDS = set(`
  inc inc. corp corp. corporation co co. ltd ltd. llc plc group capital research analytics forensics markets digital
  exchange commission foundation labs lab bank trust fund funds partners ventures holdings management investments
  securities reserve network protocol dao finance financial association authority agency department council ministry
  court congress senate parliament university institute times news journal daily street ledger media global asset assets
  advisors advisers technologies systems solutions services wallet coin token nasdaq nyse arca cboe sec cftc fed imf
  treasury office bureau board committee regulator
`);

/** Words right before a name that make it a person. */
export const PERSON_CUES = set(`
  mr mr. mrs mrs. ms ms. dr dr. said says told wrote ceo founder co-founder cofounder chair chairman chairwoman president
  governor senator representative rep. analyst researcher trader executive director economist strategist spokesperson
  spokesman spokeswoman partner investor developer head minister judge officer professor
`);

/** Common first names (a person is likelier than an organisation). */
export const FIRST_NAMES = set(`
  james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald
  steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric
  jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry
  tyler aaron jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter christian keith roger terry
  austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan alan juan albert
  willie elijah wayne randy vincent mason roy ralph bobby russell bradley philip eugene mary patricia jennifer linda
  elizabeth barbara susan jessica sarah karen lisa nancy betty sandra margaret ashley kimberly emily donna michelle
  carol amanda melissa deborah stephanie dorothy rebecca sharon laura cynthia amy kathleen angela shirley brenda emma
  anna pamela nicole samantha katherine christine helen debra rachel carolyn janet maria catherine heather diane olivia
  julie joyce victoria ruth virginia lauren kelly christina joan evelyn judith andrea hannah megan cheryl jacqueline
  martha madison teresa gloria sara janice ann kathryn abigail sophia frances jean alice judy isabella julia grace amber
  denise danielle marilyn beverly charlotte natalie theresa diana brittany doris kayla alexis lori marie vitalik
  changpeng sam brian cathie michael jerome gary hester caroline elon justin arthur mariana priya lin jonah simone oren
  tomasz helen daniel rachel paul wei li chen zhang wang hiroshi yuki raj ahmed mohammed fatima ali omar carlos luis
  pablo javier sofia lucia marco giulia hans klaus anna lars sven olga ivan dmitri sergei
`);

/** Places wink's lite model does not type. */
export const PLACES = set(`
  us u.s. usa uk u.k. eu america europe asia africa china japan korea india russia brazil canada australia germany
  france italy spain switzerland singapore hong kong taiwan dubai uae israel turkey argentina mexico nigeria kenya
  ukraine vietnam thailand indonesia philippines malaysia london paris tokyo seoul beijing shanghai berlin zurich
  geneva washington california texas florida wyoming miami chicago toronto sydney lisbon salvador
`);
/** Multi-word places. */
export const PLACE_PHRASES = new Set(["united states", "united kingdom", "european union", "hong kong", "south korea", "north korea", "new york", "el salvador", "san francisco", "abu dhabi", "wall street", "silicon valley", "middle east", "latin america"]);

/** Upper-case words that are common nouns, not names ("spot ETFs", "NFT sales"). */
export const COMMON_ACRONYMS = set(`
  etf etfs nft nfts dex dexs dexes cex cexs ai api apis tvl ath atl otc kyc aml ipo ipos ico icos l1 l2 evm zk apy apr
  gdp cpi ppi p2p faq pdf ceo cfo cto coo
`);

/** Words just before a name that make it a place or an organisation, not a person ("analyst at Fee Atlas"). */
export const ORG_CUES = set("at from of by to with");

/**
 * Verbs of news headlines that wink's lite model tags as nouns when they
 * follow a noun ("Coinbase lists…", "Hackers drain…", "developers schedule…"),
 * base forms; the third person ("lists", "taps", "launches", "denies") is
 * derived. Only words that also read as nouns need to be here.
 */
export const HEADLINE_VERBS = set(`
  list drain tap win sue hit rally jump surge fall slide drop plunge soar tumble climb gain rise sink dip halt freeze
  seize buy sell file plan eye weigh mull launch back approve reject delay deny ban warn slam cut raise add unveil debut
  expand enter exit schedule target top near reach break cross flip lead lag trail shed lose post report urge move shift
  open close mint burn probe patch push pull dump brace hold hike lift boost fuel spark spur hint signal fix pause resume
  settle appeal charge fine sanction block unlock stake tout face cap hire fire join quit split merge acquire partner
  roll rebound recover slump spike slip crash vote rattle worry spook jolt shake rock
`);
