// PostgREST's in-database configuration, pure parts: value coercion, precedence over the base
// settings, and the pre-config function name (quoted, never spliced as written).
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { applySettings, coerceBool, dbSettingsSql, qualifiedFunction, type RestSettings } from './db-config.ts';

const BASE: RestSettings = { aggregatesEnabled: false, planEnabled: false, txEnd: 'commit', maxRows: 1000, extraSearchPath: ['public', 'extensions'], preRequest: null };

describe('in-database configuration', () => {
  test('booleans as PostgREST reads them', () => {
    for (const t of ['true', 'TRUE', "'true'", '"True"', '1', '42']) assert.equal(coerceBool(t), true, t);
    for (const f of ['false', 'False', '0', '-1']) assert.equal(coerceBool(f), false, f);
    assert.equal(coerceBool('yes'), undefined);
  });
  test('database values win over the environment, which wins over config.toml', () => {
    const values = new Map([
      ['db_aggregates_enabled', 'true'],
      ['db_max_rows', '50'],
      ['db_extra_search_path', 'public, x'],
      ['db_pre_request', 'public.check_request'],
    ]);
    const env = { PGRST_DB_AGGREGATES_ENABLED: 'false', PGRST_DB_PLAN_ENABLED: 'true', PGRST_DB_TX_END: 'rollback' };
    assert.deepStrictEqual(applySettings(BASE, values, env), {
      aggregatesEnabled: true,
      planEnabled: true,
      txEnd: 'rollback',
      maxRows: 50,
      extraSearchPath: ['public', 'x'],
      preRequest: 'public.check_request',
    });
    assert.deepStrictEqual(applySettings(BASE, new Map(), {}), BASE);
  });
  test('values it cannot read leave the setting as it was', () => {
    const values = new Map([
      ['db_tx_end', 'sometimes'],
      ['db_max_rows', 'lots'],
      ['db_plan_enabled', 'maybe'],
    ]);
    assert.deepStrictEqual(applySettings(BASE, values, {}), BASE);
  });
  test('the pre-config function is a quoted (schema.)name; anything else is refused', () => {
    assert.equal(qualifiedFunction('postgrest.pre_config'), '"postgrest"."pre_config"');
    assert.match(dbSettingsSql('cfg'), /JOIN "cfg"\(\) _ ON TRUE/);
    assert.doesNotMatch(dbSettingsSql(null), /JOIN/);
    for (const bad of ['a.b.c', 'x(); drop table t; --', 'pre config', '"q"']) assert.throws(() => qualifiedFunction(bad), /not a function name/);
  });
});
