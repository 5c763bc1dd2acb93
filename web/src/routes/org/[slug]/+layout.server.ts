import { orgAccess } from '$lib/server/org-access.ts';
import type { LayoutServerLoad } from './$types';

// Every page of the organisation: who it is and the caller's role there (members only; each page
// checks its own section with requireSection).
export const load: LayoutServerLoad = async (event) => orgAccess(event);
