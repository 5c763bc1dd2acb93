import { fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { newPasswordSchema } from '$lib/schemas.ts';
import { authMessage } from '$lib/server/auth.ts';
import type { Actions, PageServerLoad } from './$types';

// Reached from the reset email's link, which signed the person in (/auth/confirm).
export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, '/auth/forgot');
  return { email: locals.user.email ?? '' };
};

export const actions: Actions = {
  default: async ({ request, locals }) => {
    if (!locals.user) redirect(303, '/auth/forgot');
    const parsed = newPasswordSchema.safeParse(formObject(await request.formData()));
    if (!parsed.success) return fail(400, { errors: fieldErrors(parsed.error) });
    const { error } = await locals.supabase.auth.updateUser({ password: parsed.data.password });
    if (error) {
      const { field, message } = authMessage(error);
      return fail(400, { errors: { [field === 'email' ? '_form' : field]: message } });
    }
    redirect(303, '/app?password_changed=1');
  },
};
