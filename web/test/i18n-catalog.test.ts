/// <reference types="node" />
// (It runs the localize tool as a child process: Node types here, where web/tsconfig gives the app none, so `npm run typecheck` passes.)
/**
 * The translations ship whole and current: every message of the code is in every language's
 * XLIFF file with a translation that keeps its placeholders, and the generated catalogs
 * (shared/i18n/locales) are what the XLIFF files say. Run against a copy, with the real
 * lit-localize extract and build, so the check is the tool's own reading of the code.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve('.');
const config = JSON.parse(readFileSync('lit-localize.json', 'utf8')) as {
  targetLocales: string[]; inputFiles: string[]; output: Record<string, string>; interchange: Record<string, string>;
};
const PSEUDO = 'en-XA';
const translated = config.targetLocales.filter((l) => l !== PSEUDO);

interface Unit { id: string; source: string; target: string | null }

function units(xliff: string): Unit[] {
  return [...xliff.matchAll(/<trans-unit id="([^"]+)">\s*<source>([\s\S]*?)<\/source>(?:\s*<target>([\s\S]*?)<\/target>)?/g)]
    .map(([, id, source, target]) => ({ id, source, target: target ?? null }));
}

const placeholders = (text: string): string[] => [...text.matchAll(/<x id="(\d+)"/g)].map((m) => m[1]).sort();

function runTool(dir: string, command: 'extract' | 'build'): void {
  const bin = join(ROOT, 'node_modules', '.bin', 'lit-localize');
  const result = spawnSync(bin, [command, '--config', join(dir, 'lit-localize.json')], { cwd: ROOT, encoding: 'utf8' });
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
}

describe('the translations', () => {
  it('are current: extracting and building again changes no XLIFF file and no generated catalog', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-i18n-'));
    try {
      cpSync('xliff', join(dir, 'xliff'), { recursive: true });
      writeFileSync(join(dir, 'lit-localize.json'), JSON.stringify({
        ...config,
        inputFiles: config.inputFiles.map((g) => (g.startsWith('!') ? `!${join(ROOT, g.slice(1))}` : join(ROOT, g))),
        output: { ...config.output, outputDir: join(dir, 'locales'), localeCodesModule: join(dir, 'locales', 'locale-codes.ts') },
        interchange: { ...config.interchange, xliffDir: join(dir, 'xliff') },
      }));
      runTool(dir, 'extract');
      for (const file of readdirSync('xliff')) {
        const extracted = units(readFileSync(join(dir, 'xliff', file), 'utf8')).map((u) => `${u.id} ${u.source}`);
        const committed = units(readFileSync(join('xliff', file), 'utf8')).map((u) => `${u.id} ${u.source}`);
        expect(extracted, `xliff/${file} is behind the code: run npm run i18n`).toEqual(committed);
      }
      // Built from the committed XLIFF (the pseudo-locale's targets are written by npm run i18n, not by extract).
      cpSync('xliff', join(dir, 'xliff'), { recursive: true });
      runTool(dir, 'build');
      for (const file of readdirSync(join(dir, 'locales'))) {
        expect(readFileSync(join(dir, 'locales', file), 'utf8'), `shared/i18n/locales/${file} is behind xliff/: run npm run i18n`)
          .toBe(readFileSync(join('shared/i18n/locales', file), 'utf8'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(translated)('%s: every message is translated, keeping every placeholder', (locale) => {
    const all = units(readFileSync(`xliff/${locale}.xlf`, 'utf8'));
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((u) => !u.target?.trim()).map((u) => u.source), 'untranslated').toEqual([]);
    expect(all.filter((u) => placeholders(u.source).join() !== placeholders(u.target!).join()).map((u) => `${u.source} → ${u.target}`),
      'placeholders lost or invented').toEqual([]);
  });

  it('the pseudo-locale brackets every message, so the walk can tell translated text from text that bypassed msg()', () => {
    const all = units(readFileSync(`xliff/${PSEUDO}.xlf`, 'utf8'));
    expect(all.filter((u) => !u.target?.startsWith('⟦') || !u.target.endsWith('⟧')).map((u) => u.source)).toEqual([]);
  });
});
