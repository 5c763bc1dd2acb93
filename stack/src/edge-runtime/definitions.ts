// Which edge functions exist: the `[functions.<name>]` tables of config.toml, resolved the way the
// Supabase CLI resolves them (paths relative to supabase/, a deno.json beside the entrypoint is its
// import map, the default entrypoint is supabase/functions/<name>/index.ts).
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { ProjectConfig } from '../config.ts';

/** The Supabase CLI's slug rule (`ValidateFunctionSlug`). */
export const FUNCTION_SLUG = /^[A-Za-z][A-Za-z0-9_-]*$/;

export interface FunctionDefinition {
  name: string;
  /** Absolute path of the module that calls `Deno.serve`. */
  entrypoint: string;
  /** Absolute path of a deno.json(c) or import map, if any. */
  importMap: string | undefined;
  verifyJwt: boolean;
}

/**
 * The enabled functions of a config, keyed by name. `supabaseDir` is the directory holding
 * config.toml; relative paths in the config are relative to it.
 */
export function resolveFunctions(
  functions: ProjectConfig['functions'],
  supabaseDir: string,
  fileExists: (path: string) => boolean = existsSync,
): Map<string, FunctionDefinition> {
  const defs = new Map<string, FunctionDefinition>();
  for (const [name, fn] of Object.entries(functions)) {
    if (!FUNCTION_SLUG.test(name)) {
      throw new Error(`invalid function name "${name}" in [functions.${name}]: use a letter, then letters, digits, - or _`);
    }
    if (!fn.enabled) continue;
    const at = (p: string) => (isAbsolute(p) ? p : join(supabaseDir, p));
    const entrypoint = fn.entrypoint ? at(fn.entrypoint) : join(supabaseDir, 'functions', name, 'index.ts');
    let importMap = fn.import_map ? at(fn.import_map) : undefined;
    if (!importMap) {
      importMap = ['deno.json', 'deno.jsonc'].map((f) => join(dirname(entrypoint), f)).find((p) => fileExists(p));
    }
    defs.set(name, { name, entrypoint, importMap, verifyJwt: fn.verify_jwt });
  }
  return defs;
}

/** How Deno takes an import map: a deno.json is a config file, anything else an import map. */
export function importMapFlag(importMap: string | undefined): string[] {
  if (!importMap) return [];
  return /^deno\.jsonc?$/.test(basename(importMap)) ? ['--config', importMap] : ['--import-map', importMap];
}

/** Whether two definitions start the same process (a change means a restart). */
export function sameDefinition(a: FunctionDefinition, b: FunctionDefinition): boolean {
  return a.entrypoint === b.entrypoint && a.importMap === b.importMap;
}
