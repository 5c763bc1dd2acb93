// The secrets file of the edge functions (`functions/.env`, as `supabase/functions/.env` for the
// Supabase CLI): dotenv syntax, and names starting with SUPABASE_ are reserved for the platform.
import { readFileSync } from 'node:fs';

export interface EnvFile {
  vars: Record<string, string>;
  /** Lines skipped, each with why, to log. */
  warnings: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Parses dotenv text: `KEY=value`, `export KEY=value`, quotes, `#` comments, multi-line double quotes. */
export function parseEnv(text: string): EnvFile {
  const vars: Record<string, string> = {};
  const warnings: string[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!m) {
      warnings.push(`line ${i + 1}: expected NAME=value`);
      continue;
    }
    const name = m[1]!;
    let raw = m[2]!;
    if (!NAME.test(name)) {
      warnings.push(`line ${i + 1}: "${name}" is not a valid variable name`);
      continue;
    }
    let value: string;
    const quote = raw[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      // A quoted value may span lines until its closing quote.
      let end = closingQuote(raw, quote);
      while (end < 0 && i + 1 < lines.length) {
        raw += `\n${lines[++i]}`;
        end = closingQuote(raw, quote);
      }
      if (end < 0) {
        warnings.push(`${name}: unterminated quoted value`);
        continue;
      }
      value = raw.slice(1, end);
      if (quote === '"') value = value.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
    } else {
      value = raw.replace(/\s+#.*$/, '').trim();
    }
    vars[name] = value;
  }
  return { vars, warnings };
}

function closingQuote(raw: string, quote: string): number {
  for (let j = 1; j < raw.length; j++) {
    if (raw[j] === '\\' && quote === '"') j++;
    else if (raw[j] === quote) return j;
  }
  return -1;
}

/** The secrets to hand every function: the file's variables except reserved SUPABASE_ names. */
export function readSecrets(path: string): EnvFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { vars: {}, warnings: [] };
    throw e;
  }
  const parsed = parseEnv(text);
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.vars)) {
    if (k.startsWith('SUPABASE_')) parsed.warnings.push(`${k}: names starting with SUPABASE_ are reserved, skipped`);
    else vars[k] = v;
  }
  return { vars, warnings: parsed.warnings.map((w) => `${path}: ${w}`) };
}
