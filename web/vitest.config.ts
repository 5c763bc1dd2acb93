// The web app's unit tests (src/**) and end-to-end tests in chromium (tests/**), one file at a
// time (the end-to-end files share the stack and the browser). No SvelteKit plugin: the tests
// import plain modules, as before under node:test.
import { defineConfig } from 'vitest/config';
import { sharedTest } from '../vitest.shared.ts';

export default defineConfig({ test: { ...sharedTest, include: ['src/**/*.test.ts', 'tests/**/*.test.ts'], fileParallelism: false } });
