import { fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formObject, safeNext } from '$lib/forms.ts';
import { magicLinkSchema, signInSchema } from '$lib/schemas.ts';
import { authMessage, confirmUrl } from '$lib/server/auth.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
  return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
  password: async ({ request, locals, url }) => {
    const form = formObject(await request.formData());
    const values = { email: String(form.email ?? '') };
    const parsed = signInSchema.safeParse(form);
    if (!parsed.success) return fail(400, { action: 'password', values, errors: fieldErrors(parsed.error) });
    const { error } = await locals.supabase.auth.signInWithPassword(parsed.data);
    if (error) {
      const { field, message } = authMessage(error);
      return fail(error.status === 429 ? 429 : 400, {
        action: 'password',
        values,
        errors: { [field]: message },
        unconfirmed: error.code === 'email_not_confirmed',
      });
    }
    redirect(303, safeNext(url.searchParams.get('next')));
  },

  magic: async ({ request, locals, url }) => {
    const form = formObject(await request.formData());
    const values = { email: String(form.email ?? '') };
    const parsed = magicLinkSchema.safeParse(form);
    if (!parsed.success) return fail(400, { action: 'magic', values, errors: fieldErrors(parsed.error) });
    const { error } = await locals.supabase.auth.signInWithOtp({
      email: parsed.data.email,
      options: { shouldCreateUser: false, emailRedirectTo: confirmUrl(url.origin, safeNext(url.searchParams.get('next'))) },
    });
    // Unknown addresses get the same answer: the form does not reveal who has an account.
    if (error && error.code !== 'otp_disabled' && error.code !== 'user_not_found') {
      const { field, message } = authMessage(error);
      return fail(error.status === 429 ? 429 : 400, { action: 'magic', values, errors: { [field]: message } });
    }
    return { action: 'magic', sent: true, values };
  },

  resend: async ({ request, locals, url }) => {
    const form = formObject(await request.formData());
    const values = { email: String(form.email ?? '') };
    const parsed = magicLinkSchema.safeParse(form);
    if (!parsed.success) return fail(400, { action: 'resend', values, errors: fieldErrors(parsed.error) });
    const { error } = await locals.supabase.auth.resend({
      type: 'signup',
      email: parsed.data.email,
      options: { emailRedirectTo: confirmUrl(url.origin, '/app?welcome=1') },
    });
    if (error) {
      const { field, message } = authMessage(error);
      return fail(error.status === 429 ? 429 : 400, { action: 'resend', values, errors: { [field]: message } });
    }
    return { action: 'resend', sent: true, values };
  },
};
