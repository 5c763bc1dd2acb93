import { loadAppShell } from '$lib/server/app-shell.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => loadAppShell(locals, url);
