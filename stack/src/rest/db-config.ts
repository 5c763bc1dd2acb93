// PostgREST's in-database configuration (Config/Database.hs): `alter role authenticator set
// pgrst.db_aggregates_enabled = 'true'` and the like, plus an optional pre-config function that
// sets them with set_config. Read when the service starts and on `NOTIFY pgrst, 'reload config'`;
// a value found in the database wins over the environment, which wins over config.toml
// (PostgREST's overrideFromDbOrEnvironment). This module is pure: db.ts runs the SQL.
import { quoteIdent } from './plan/columns.ts';
import { TX_END_VALUES, type TxEnd } from './request.ts';

/** The settings of the REST service a project can change (config.toml, env, database). */
export interface RestSettings {
  /** db-aggregates-enabled: `count()`, `col.sum()`… in select (PGRST123 when off). */
  aggregatesEnabled: boolean;
  /** db-plan-enabled: `Accept: application/vnd.pgrst.plan` (EXPLAIN) answers; 406 when off. */
  planEnabled: boolean;
  txEnd: TxEnd;
  maxRows: number | null;
  extraSearchPath: string[];
  /** db-pre-request: a function called in each request's transaction before its statement. */
  preRequest: string | null;
}

/** PostgREST's in-database names (dbSettingsNames); the ones this service acts on are read below. */
export const DB_SETTINGS_NAMES = [
  'db_aggregates_enabled',
  'client_error_verbosity',
  'db_anon_role',
  'db_pre_config',
  'db_extra_search_path',
  'db_max_rows',
  'db_plan_enabled',
  'db_pre_request',
  'db_prepared_statements',
  'db_root_spec',
  'db_schemas',
  'db_tx_end',
  'db_hoisted_tx_settings',
  'jwt_aud',
  'jwt_role_claim_key',
  'jwt_secret',
  'jwt_secret_is_base64',
  'jwt_cache_max_lifetime',
  'openapi_mode',
  'openapi_security_active',
  'openapi_server_proxy_uri',
  'server_cors_allowed_origins',
  'server_trace_header',
  'server_timing_enabled',
  'url_use_legacy_target_names',
].map((n) => `pgrst.${n}`);

/**
 * Role settings of the connected role (authenticator), the database-specific ones first, then
 * what the pre-config function sets (PostgREST's queryDbSettings). `$1` is DB_SETTINGS_NAMES.
 */
export function dbSettingsSql(preConfig: string | null): string {
  const pre =
    preConfig === null
      ? ''
      : `
  UNION
  SELECT null AS database, x AS k, current_setting(x, true) AS v
  FROM unnest($1::text[]) x
  JOIN ${qualifiedFunction(preConfig)}() _ ON TRUE`;
  return `
WITH role_setting AS (
  SELECT setdatabase AS database, unnest(setconfig) AS setting
  FROM pg_catalog.pg_db_role_setting
  WHERE setrole = quote_ident(CURRENT_USER)::regrole::oid
    AND setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database WHERE datname = CURRENT_CATALOG))
),
kv_settings AS (
  SELECT database, substr(setting, 1, strpos(setting, '=') - 1) AS k, substr(setting, strpos(setting, '=') + 1) AS v
  FROM role_setting${pre}
)
SELECT DISTINCT ON (key) replace(k, 'pgrst.', '') AS key, v AS value
FROM kv_settings
WHERE k = ANY($1::text[]) AND v IS NOT NULL
ORDER BY key, database DESC NULLS LAST`;
}

/** `schema.fn` or `fn` as quoted identifiers; anything else is refused. */
export function qualifiedFunction(name: string): string {
  const parts = name.split('.').map((p) => p.trim());
  if (parts.length < 1 || parts.length > 2 || parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_$]*$/.test(p))) {
    throw new Error(`db-pre-config "${name}" is not a function name`);
  }
  return parts.map(quoteIdent).join('.');
}

function isFunctionName(name: string): boolean {
  try {
    qualifiedFunction(name);
    return true;
  } catch {
    return false;
  }
}

/** PostgREST's coerceBool: true/false in any case (quotes ignored), or a number > 0. */
export function coerceBool(raw: string): boolean | undefined {
  const letters = raw.replace(/[^A-Za-z]/g, '').toLowerCase();
  if (letters === 'true') return true;
  if (letters === 'false') return false;
  return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) > 0 : undefined;
}

const splitOnCommas = (s: string): string[] => (s.trim() === '' ? [] : s.split(',').map((x) => x.trim()));

/** The base settings with what the database (or env, for unset keys) says on top. */
export function applySettings(base: RestSettings, values: Map<string, string>, env: NodeJS.ProcessEnv = process.env): RestSettings {
  const get = (key: string): string | undefined => values.get(key) ?? env[`PGRST_${key.toUpperCase()}`];
  const out: RestSettings = { ...base };
  const agg = get('db_aggregates_enabled');
  if (agg !== undefined) out.aggregatesEnabled = coerceBool(agg) ?? base.aggregatesEnabled;
  const plan = get('db_plan_enabled');
  if (plan !== undefined) out.planEnabled = coerceBool(plan) ?? base.planEnabled;
  const tx = get('db_tx_end');
  if (tx !== undefined && (TX_END_VALUES as readonly string[]).includes(tx)) out.txEnd = tx as TxEnd;
  const maxRows = get('db_max_rows');
  if (maxRows !== undefined && /^\d+$/.test(maxRows.trim())) out.maxRows = Number(maxRows.trim());
  const extra = get('db_extra_search_path');
  if (extra !== undefined) out.extraSearchPath = splitOnCommas(extra);
  const preRequest = get('db_pre_request');
  if (preRequest !== undefined) out.preRequest = preRequest.trim() === '' || !isFunctionName(preRequest.trim()) ? null : preRequest.trim();
  return out;
}
