/**
 * The app and the service worker read the API's types from shared/schemas, but only as
 * types: TypeBox and the schemas themselves must never be bundled for the browser, where
 * they would only add weight (the server is what validates).
 */
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';

async function inputs(entry: string, tsconfig: string): Promise<string[]> {
  const result = await build({ entryPoints: [entry], bundle: true, write: false, metafile: true, format: 'esm', tsconfig, logLevel: 'silent' });
  return Object.keys(result.metafile.inputs);
}

describe('the browser bundles', () => {
  it.each([['web/main.ts', 'web/tsconfig.json'], ['sw/sw.ts', 'sw/tsconfig.json']])('%s takes no TypeBox and no schema', async (entry, tsconfig) => {
    const files = await inputs(entry, tsconfig);
    expect(files.some((f) => f.startsWith('shared/'))).toBe(true);
    expect(files.filter((f) => f.includes('node_modules/typebox') || f.startsWith('shared/schemas/'))).toEqual([]);
  });
});
