// What every workspace's vitest.config.ts shares: tests as node:test ran them before, each file in
// a process of its own, no per-test time limit (the suites set their own where it matters; `npm
// test` bounds the whole run), the TAP that `npm test` counts printed by `--reporter=tap-flat`.
import type { ViteUserConfig } from 'vitest/config';

export const sharedTest = {
  pool: 'forks',
  isolate: true,
  testTimeout: 0,
  hookTimeout: 0,
  teardownTimeout: 10_000,
} satisfies NonNullable<ViteUserConfig['test']>;
