// Test data that is the same on every run. The package keeps its own generator
// (a 32-bit linear congruential one, Numerical Recipes' constants) so that its
// tests need nothing from the application that uses it.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}
