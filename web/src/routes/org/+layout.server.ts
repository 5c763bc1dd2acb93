import { loadAppShell } from '$lib/server/app-shell.ts';
import type { LayoutServerLoad } from './$types';

// The organisation pages share the app's header and menu.
export const load: LayoutServerLoad = ({ locals, url }) => loadAppShell(locals, url);
