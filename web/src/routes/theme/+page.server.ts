import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/forms.ts';
import { parseTheme, THEME_COOKIE, THEME_COOKIE_MAX_AGE } from '$lib/theme.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ request, cookies, url }) => {
    const theme = parseTheme((await request.formData()).get('theme')?.toString());
    cookies.set(THEME_COOKIE, theme, { path: '/', httpOnly: false, sameSite: 'lax', maxAge: THEME_COOKIE_MAX_AGE });
    redirect(303, safeNext(url.searchParams.get('redirect'), '/'));
  },
};
