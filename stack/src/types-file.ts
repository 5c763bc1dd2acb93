import { join } from 'node:path';
import { projectRoot } from './config.ts';

/** The generated database types, committed and checked for drift by the test run. */
export const TYPES_FILE = join(projectRoot, 'web', 'src', 'lib', 'database.types.ts');
