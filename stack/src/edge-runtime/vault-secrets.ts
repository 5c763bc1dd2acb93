// The two Vault secrets through which pg_cron jobs call edge functions (`net.http_post` to
// `<project_url>/functions/v1/<name>` with `Bearer <service_role_key>`; see the migration that
// schedules ascend-send-email). A hosted project sets them once by hand (README); the local stack
// writes this instance's values whenever the gateway starts, so jobs work out of the box. It
// only ever rewrites secrets it created itself (marked by their description): a value a developer
// set by hand is left alone.
import type pg from 'pg';

export const MANAGED = 'set by the local stack (npm start) for pg_cron jobs that call edge functions';

export function projectSecrets(apiUrl: string, serviceRoleKey: string): Record<string, string> {
  return { project_url: apiUrl, service_role_key: serviceRoleKey };
}

/** Creates or refreshes the secrets; returns the names it wrote. */
export async function ensureProjectSecrets(pool: pg.Pool, secrets: Record<string, string>): Promise<string[]> {
  const written: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    const { rows } = await pool.query<{ id: string; description: string; current: string }>(
      'select s.id, s.description, d.decrypted_secret as current from vault.secrets s join vault.decrypted_secrets d on d.id = s.id where s.name = $1',
      [name],
    );
    const row = rows[0];
    if (!row) {
      await pool.query('select vault.create_secret($1, $2, $3)', [value, name, MANAGED]);
      written.push(name);
    } else if (row.description === MANAGED && row.current !== value) {
      await pool.query('select vault.update_secret($1, $2)', [row.id, value]);
      written.push(name);
    }
  }
  return written;
}
