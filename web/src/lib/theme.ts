// Light, dark or the system's choice, kept in a cookie so the server renders the right colours.
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const THEME_COOKIE = 'ascend-theme';

export function parseTheme(value: string | null | undefined): Theme {
  return (THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : 'system';
}

/** The class on <html>: nothing for `system` (CSS follows prefers-color-scheme). */
export function themeClass(theme: Theme): string {
  return theme === 'system' ? '' : theme;
}
