import { fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { signUpSchema } from '$lib/schemas.ts';
import { authMessage, confirmUrl } from '$lib/server/auth.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.user) redirect(303, '/app');
};

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const form = formObject(await request.formData());
    const values = { display_name: String(form.display_name ?? ''), email: String(form.email ?? '') };
    const parsed = signUpSchema.safeParse(form);
    if (!parsed.success) return fail(400, { values, errors: fieldErrors(parsed.error) });

    const timeZone = typeof form.time_zone === 'string' && form.time_zone ? form.time_zone : undefined;
    const { data, error } = await locals.supabase.auth.signUp({
      email: parsed.data.email,
      password: parsed.data.password,
      options: {
        emailRedirectTo: confirmUrl(url.origin, '/app?welcome=1'),
        data: { display_name: parsed.data.display_name, ...(timeZone ? { time_zone: timeZone } : {}) },
      },
    });
    if (error) {
      const { field, message } = authMessage(error);
      return fail(error.status === 429 ? 429 : 400, { values, errors: { [field]: message } });
    }
    // With confirmations off the account is ready at once.
    if (data.session) redirect(303, '/app?welcome=1');
    return { sent: true, email: parsed.data.email };
  },
};
