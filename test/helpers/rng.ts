// Test data that is the same on every run.
export { mulberry32 as rng } from "../../lib/random/mulberry32.ts";
