// Tests against the running stack, one file at a time (they share the instance). Benchmarks are
// scripts of their own (`npm run bench`), not tests.
import { defineConfig } from 'vitest/config';
import { sharedTest } from '../vitest.shared.ts';

export default defineConfig({
  test: { ...sharedTest, include: ['**/*.test.ts'], exclude: ['node_modules/**', 'bench/**'], fileParallelism: false },
});
