/**
 * What the desk downloads, from esbuild's metafile: the English desk is app.js and every chunk
 * it imports statically; each language adds its own chunk (shared/i18n/locales/<locale>.ts),
 * fetched only when that language is chosen. Sizes gzipped at the default level, as served.
 */
import type { Metafile } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export interface BundleSizes {
  /** Bytes gzipped of app.js and its static imports: what an English desk loads. */
  desk_gzip: number;
  desk_raw: number;
  /** Per locale, the bytes gzipped its chunk adds. */
  locales: Record<string, { gzip: number; raw: number; file: string }>;
}

export function bundleSizes(meta: Metafile, outdir: string): BundleSizes {
  const strip = (path: string) => path.slice(outdir.length + 1);
  const size = (path: string) => {
    const bytes = readFileSync(path);
    return { gzip: gzipSync(bytes).length, raw: bytes.length };
  };
  const entry = Object.keys(meta.outputs).find((o) => o.endsWith('/app.js'))!;
  const seen = new Set<string>();
  const walk = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const i of meta.outputs[path].imports) if (i.kind === 'import-statement') walk(i.path);
  };
  walk(entry);
  let gzip = 0;
  let raw = 0;
  for (const path of seen) {
    const s = size(path);
    gzip += s.gzip;
    raw += s.raw;
  }
  const locales: BundleSizes['locales'] = {};
  for (const [path, output] of Object.entries(meta.outputs)) {
    const match = /shared\/i18n\/locales\/([\w-]+)\.ts$/.exec(output.entryPoint ?? '');
    if (match && match[1] !== 'locale-codes') locales[match[1]] = { ...size(path), file: strip(path) };
  }
  return { desk_gzip: gzip, desk_raw: raw, locales };
}
