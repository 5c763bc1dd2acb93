// The stack's unit tests: beside their source (src/**) and the package's own (test/).
import { defineConfig } from 'vitest/config';
import { sharedTest } from '../vitest.shared.ts';

export default defineConfig({ test: { ...sharedTest, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } });
