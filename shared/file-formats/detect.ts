/**
 * Which of the three formats a file is. The content decides, because staff
 * rename files and browsers add " (1)" to downloads; the file name only
 * breaks a tie when no line says what it is (e.g. every line is damaged).
 */
import { parseJson, type Line } from './lines.js';

export type FileFormat = 'jsonl' | 'evergreen' | 'koha';

export function detectFormat(lines: Line[], fileName: string): FileFormat {
  if (lines[0]?.text.startsWith('Version=')) return 'koha';
  for (const line of lines) {
    const parsed = parseJson(line.text);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) continue;
    const o = parsed.value as Record<string, unknown>;
    if ('id' in o && 'occurred_at' in o) return 'jsonl';
    if ('type' in o && 'timestamp' in o && !('id' in o)) return 'evergreen';
  }
  if (/\.koc$/i.test(fileName)) return 'koha';
  if (/xacts$/i.test(fileName)) return 'evergreen';
  return 'jsonl';
}
