import type { RequestEvent } from '@sveltejs/kit';
import { ADMINS, requireOrgRole } from '$lib/server/org-access.ts';

/** Owners and admins manage webhooks (the tables' RLS and the RPCs say the same). */
export const webhookAccess = (event: Pick<RequestEvent, 'locals' | 'params' | 'url'>) => requireOrgRole(event, ADMINS, 'the webhooks');
