import { fail } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { magicLinkSchema } from '$lib/schemas.ts';
import { authMessage, confirmUrl } from '$lib/server/auth.ts';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const form = formObject(await request.formData());
    const values = { email: String(form.email ?? '') };
    const parsed = magicLinkSchema.safeParse(form);
    if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });
    const { error } = await locals.supabase.auth.resetPasswordForEmail(parsed.data.email, { redirectTo: confirmUrl(url.origin, '/auth/reset') });
    if (error && error.status === 429) {
      const { field, message } = authMessage(error);
      return fail(429, { values, errors: { [field]: message } });
    }
    // Same answer whether or not the address has an account.
    return { sent: true, values };
  },
};
