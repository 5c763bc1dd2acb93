// Light, dark or the system's choice, kept in a cookie so the server renders the right colours.
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_COOKIE = 'ascend-theme';
/** A year, in seconds. */
export const THEME_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

export function parseTheme(value: string | null | undefined): Theme {
  return (THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : 'system';
}

/** The class on <html>: nothing for `system` (CSS follows prefers-color-scheme). */
export function themeClass(theme: Theme): string {
  return theme === 'system' ? '' : theme;
}

/** The cookie as the browser sets it itself: name, path, age and SameSite as the /theme form's answer; Secure on https. */
export function themeCookie(theme: Theme, secure: boolean): string {
  return `${THEME_COOKIE}=${theme}; path=/; max-age=${THEME_COOKIE_MAX_AGE}; samesite=lax${secure ? '; secure' : ''}`;
}
