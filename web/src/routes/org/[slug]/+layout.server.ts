import { orgContext } from '$lib/server/org-context.ts';
import type { LayoutServerLoad } from './$types';

// Every page of the organisation: who it is and what the caller may do there (staff only).
export const load: LayoutServerLoad = async ({ locals, params }) => orgContext(locals, params.slug);
