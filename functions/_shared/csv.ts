// CSV files as the import functions read them (csv-parse): a header row, then one record per
// row, each with the line it starts on (quoted fields may span lines) so errors can name it.
import { parse } from 'csv-parse/sync';

export interface CsvRow {
  /** 1-based line of the file where the record starts. */
  line: number;
  /** Field values by normalised header name. */
  values: Record<string, string>;
}

export interface CsvIssue {
  line: number;
  reason: string;
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
  /** Rows that could not be read as records of the header (wrong number of fields). */
  issues: CsvIssue[];
}

/** `Option A` → `option_a`, `Correct-Answer` → `correct_answer`. */
export function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** A CSV that cannot be read at all (bad quoting, no header): names the line. */
export class CsvError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

/**
 * Parses CSV text (UTF-8, comma-separated, `"` quoting, optional BOM, LF or CRLF). Blank lines are
 * skipped; a record with more or fewer fields than the header is reported in `issues`.
 */
export function parseCsv(text: string): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: false }) as unknown as typeof records;
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    throw new CsvError(err.lines ?? 0, `the file is not valid CSV${err.lines ? ` (line ${err.lines})` : ''}: ${err.message ?? String(e)}`);
  }
  const header: string[] = [];
  const rows: CsvRow[] = [];
  const issues: CsvIssue[] = [];
  let previousEnd = 0;
  for (const { record, info } of records) {
    const line = previousEnd + 1;
    previousEnd = info.lines;
    if (record.every((f) => f.trim() === '')) continue;
    if (header.length === 0) {
      header.push(...record.map(normaliseHeader));
      continue;
    }
    if (record.length !== header.length) {
      issues.push({ line, reason: `has ${record.length} fields, the header has ${header.length}` });
      continue;
    }
    rows.push({ line, values: Object.fromEntries(header.map((h, i) => [h, record[i]!])) });
  }
  if (header.length === 0) throw new CsvError(1, 'the file is empty: the first line must name the columns');
  return { header, rows, issues };
}

/** The first of `names` present in the header, for columns with accepted aliases. */
export function pickColumn(header: string[], names: string[]): string | undefined {
  return names.find((n) => header.includes(n));
}
