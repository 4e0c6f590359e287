/**
 * Builds the app into dist/public: the page bundle (each language's strings a chunk of
 * their own, loaded when chosen), the service worker
 * (bundled as a classic script, then given Workbox's precache manifest of
 * every file the app needs offline), and the static files.
 */
import { build } from 'esbuild';
import { injectManifest } from 'workbox-build';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { bundleSizes } from './bundle-sizes.js';

const out = 'dist/public';
rmSync('dist', { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync('public', out, { recursive: true });

const define = { 'process.env.NODE_ENV': '"production"' };
const app = await build({
  entryPoints: { app: 'web/main.ts' }, outdir: out, chunkNames: 'chunks/[name]-[hash]', splitting: true, bundle: true, format: 'esm',
  target: 'es2022', minify: true, sourcemap: 'linked', define, tsconfig: 'web/tsconfig.json', legalComments: 'none', metafile: true,
});
await build({
  entryPoints: ['sw/sw.ts'], outfile: 'dist/sw-bundle.js', bundle: true, format: 'iife', target: 'es2022',
  minify: true, define, tsconfig: 'sw/tsconfig.json', legalComments: 'none',
});
// The server as one ES module (its packages stay in node_modules): started with plain node it needs no
// TypeScript loader, which held ~50 MB of the server's memory and slowed its start. Its source map without
// the sources' text: --enable-source-maps keeps the whole map in the server's heap for as long as it runs, and
// stack traces need only the mappings (file, line, column), not a second copy of every source file (~1.7 MB).
await build({
  entryPoints: ['server/server.ts'], outfile: 'dist/server/server.mjs', bundle: true, format: 'esm', platform: 'node', target: 'node20',
  packages: 'external', sourcemap: 'linked', sourcesContent: false, tsconfig: 'server/tsconfig.json', legalComments: 'none',
});
const { count, size, warnings } = await injectManifest({
  swSrc: 'dist/sw-bundle.js', swDest: `${out}/sw.js`, globDirectory: out,
  globPatterns: ['**/*.{html,js,css,webmanifest,svg,png}'], globIgnores: ['sw.js'],
});
for (const w of warnings) console.warn(w);
const sizes = bundleSizes(app.metafile, out);
writeFileSync('dist/bundle-sizes.json', JSON.stringify(sizes, null, 2));
const kib = (bytes: number) => (bytes / 1024).toFixed(1);
console.log(`Built ${out}: ${count} files precached (${kib(size)} KiB); the English desk loads ${kib(sizes.desk_gzip)} KiB gzipped;`
  + ` each language adds ${Object.entries(sizes.locales).map(([l, b]) => `${l} ${kib(b.gzip)}`).join(', ')} KiB.`);
