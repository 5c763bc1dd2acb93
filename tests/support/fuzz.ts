// fast-check parameters for the property tests. CI replays one fixed seed, so a red run always
// means a change broke something; elsewhere each run explores new cases (a failure prints its
// seed: replay it by setting `seedVariable`).
const CI_SEED = 20261122;

export function fuzzParams(numRuns: number, seedVariable: string): { numRuns: number; seed?: number } {
  const given = process.env[seedVariable];
  const seed = given ? Number(given) : process.env.CI ? CI_SEED : undefined;
  return seed === undefined ? { numRuns } : { numRuns, seed };
}
