/**
 * Our own format: one OfflineTransaction a line, so a truncated file loses
 * only its last line. Each record already has its id, so it is kept as is.
 */
import { validateTransaction, type OfflineTransaction, type ValidationResult } from '../transaction.js';
import type { ExportedFile } from './exported-file.js';
import { parseJson } from './lines.js';

export function exportJsonLines(txs: readonly OfflineTransaction[]): string {
  return txs.map((tx) => `${JSON.stringify(tx)}\n`).join('');
}

/** Lossless: every field of every transaction, ids included, so nothing is listed as not carried. */
export function toJsonLinesFile(txs: readonly OfflineTransaction[]): ExportedFile {
  return { text: exportJsonLines(txs), notCarried: [], neverCarried: [] };
}

/** One line, checked by the same validator as the server's upload route. */
export function readJsonLine(text: string, now: Date): ValidationResult {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, field: '', reason: parsed.reason };
  return validateTransaction(parsed.value, now);
}
