import { fail, redirect } from '@sveltejs/kit';
import { fieldErrors, formObject } from '$lib/forms.ts';
import { deleteSchema, preferencesSchema, privacySchema, profileProblem, profileSchema, settings, timeZones } from './settings.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
  const [{ profile }, result] = await Promise.all([parent(), locals.supabase.rpc('get_my_settings')]);
  const parsed = result.error ? null : settings.safeParse(result.data);
  return {
    settings: parsed?.success ? parsed.data : null,
    account: { display_name: profile.display_name, username: profile.username, time_zone: profile.time_zone, email: locals.user?.email ?? '' },
    zones: timeZones(profile.time_zone),
  };
};

const SAVE_FAILED = 'Your settings could not be saved just now. Try again in a moment.';

export const actions: Actions = {
  profile: async ({ locals, request }) => {
    const values = formObject(await request.formData());
    const parsed = profileSchema.safeParse(values);
    if (!parsed.success) return fail(400, { section: 'profile', values, errors: fieldErrors(parsed.error) });
    const { error } = await locals.supabase.from('profiles').update(parsed.data).eq('id', locals.user!.id);
    if (error) {
      const p = profileProblem(error);
      return fail(error.code === '23505' ? 409 : 400, { section: 'profile', values, errors: { [p.field]: p.message } });
    }
    return { section: 'profile', saved: 'Profile saved' };
  },

  preferences: async ({ locals, request }) => {
    const values = formObject(await request.formData());
    const parsed = preferencesSchema.safeParse(values);
    if (!parsed.success) return fail(400, { section: 'preferences', values, errors: fieldErrors(parsed.error) });
    const { error } = await locals.supabase.rpc('update_my_settings', { p_settings: parsed.data });
    if (error) return fail(error.code === '22023' || error.code === '23514' ? 400 : 503, { section: 'preferences', values, errors: { _form: SAVE_FAILED } });
    return { section: 'preferences', saved: 'Notification preferences saved' };
  },

  privacy: async ({ locals, request }) => {
    const values = formObject(await request.formData());
    const parsed = privacySchema.safeParse(values);
    if (!parsed.success) return fail(400, { section: 'privacy', values, errors: fieldErrors(parsed.error) });
    const { error } = await locals.supabase.rpc('update_my_settings', { p_settings: parsed.data });
    if (error) return fail(503, { section: 'privacy', values, errors: { _form: SAVE_FAILED } });
    return { section: 'privacy', saved: 'Privacy settings saved' };
  },

  delete: async ({ locals, request, cookies }) => {
    const values = formObject(await request.formData());
    const parsed = deleteSchema.safeParse(values);
    if (!parsed.success) return fail(400, { section: 'delete', values, errors: fieldErrors(parsed.error) });
    const { data, error } = await locals.supabase.rpc('delete_account', { p_confirmation: 'DELETE' });
    if (error) return fail(503, { section: 'delete', values, errors: { _form: 'Your account could not be deleted just now. Nothing was removed; try again in a moment.' } });
    // The files the database listed go through the Storage API (it owns the objects).
    const files = (data as { storage_objects_to_remove?: { bucket_id: string; name: string }[] } | null)?.storage_objects_to_remove ?? [];
    for (const bucket of new Set(files.map((f) => f.bucket_id))) {
      await locals.supabase.storage.from(bucket).remove(files.filter((f) => f.bucket_id === bucket).map((f) => f.name));
    }
    await locals.supabase.auth.signOut({ scope: 'local' });
    for (const c of cookies.getAll()) if (c.name.startsWith('sb-')) cookies.delete(c.name, { path: '/' });
    redirect(303, '/account-deleted');
  },
};
