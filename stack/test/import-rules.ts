// The import rules of stack/src (stack/README.md draws the map): the layers import downward only,
// and no source file reaches itself again through its imports.
//
//   base      config.ts, config-storage.ts, errors.ts at the root: imports only the base
//   kit/      what every service shares: imports the base and kit/
//   <service> auth/, rest/, realtime/, storage/, edge-runtime/, pg-net/, resend-sink/ and any new
//             folder: imports the base, kit/ and its own folder; never another service, gateway/
//             or instance/
//   gateway/  the composition root: imports the base, kit/, services, gateway/; never instance/
//   instance/ the lifecycle (CLI, cluster, test runner): imports anything but gateway/, which it
//             starts as a process
//
// Test files (*.test.ts) are left out: nothing imports them, and a service's test may compose what
// it tests (the service behind a gateway app).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

type Layer = 'base' | 'kit' | 'service' | 'gateway' | 'instance';

const isSource = (file: string) => /\.(ts|mts)$/.test(file) && !/\.test\.ts$/.test(file);

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (isSource(path)) out.push(path);
  }
  return out;
}

/** The top folder of a file under src ('' for the root files). */
function topFolder(src: string, file: string): string {
  const rel = relative(src, file).split(sep);
  return rel.length > 1 ? rel[0]! : '';
}

function layerOf(folder: string): Layer {
  if (folder === '') return 'base';
  if (folder === 'kit' || folder === 'gateway' || folder === 'instance') return folder;
  return 'service';
}

/** The files under src a file imports (relative specifiers only; packages are not layered). */
export function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return [...new Set(importedFiles.map((i) => i.fileName).filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s)))];
}

/**
 * Imports between services that are allowed on purpose, each with its reason. graphql/ answers
 * through REST's schema cache, database access and error bodies (the lead decides whether that
 * engine moves to kit/; until then the dependency is named here rather than hidden).
 */
const SERVICE_EXCEPTIONS: Record<string, string[]> = { graphql: ['rest'] };

/** Why `from` (in folder `a`) may not import `to` (in folder `b`), or undefined when it may. */
function layerViolation(a: string, b: string): string | undefined {
  const la = layerOf(a);
  const lb = layerOf(b);
  const name = (f: string) => (f === '' ? 'the base' : `${f}/`);
  if (la === 'base' && lb !== 'base') return `the base imports ${name(b)}`;
  if (la === 'kit' && lb !== 'base' && lb !== 'kit') return `kit/ imports ${name(b)}`;
  if (la === 'service') {
    if (lb === 'gateway' || lb === 'instance') return `service ${a}/ imports ${name(b)}`;
    if (lb === 'service' && a !== b && !SERVICE_EXCEPTIONS[a]?.includes(b)) return `service ${a}/ imports service ${b}/`;
  }
  if (la === 'gateway' && lb === 'instance') return 'gateway/ imports instance/';
  if (la === 'instance' && lb === 'gateway') return 'instance/ imports gateway/ (start it as a process)';
  return undefined;
}

/** Cycles among the files (Tarjan's strongly connected components), each as a list of files. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return found;
}

/** Every broken rule under `src`, one line each; empty when the layout holds. */
export function checkImportRules(src: string): string[] {
  const files = walk(src).sort();
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => t.startsWith(src + sep))]));
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const why = layerViolation(topFolder(src, from), topFolder(src, to));
      if (why) problems.push(`${relative(src, from)} → ${relative(src, to)}: ${why}`);
    }
  }
  for (const cycle of cycles(graph)) problems.push(`import cycle: ${cycle.map((f) => relative(src, f)).join(' ↔ ')}`);
  return problems;
}
