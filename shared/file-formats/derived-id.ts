/**
 * Evergreen and Koha records carry no id, yet the server deduplicates by id.
 * So each gets an id derived from what the line is and where it stands:
 * SHA-256 of the format, the line number and the line's text, shaped as a
 * UUID v4 so it passes the same validator as device-made ids. Loading the
 * same file twice (or a renamed copy, or one with CRLF line ends, since
 * neither the file name nor the line terminator is hashed) gives the same ids
 * and adds nothing. The line number is part of it so that two genuinely
 * separate scans that happen to produce identical lines (same second, same
 * item) stay two transactions. Both tools append to the end of their file, so
 * a file that has grown since the last import keeps the ids of its older lines.
 */
import type { FileFormat } from './detect.js';

/** Stable for the same format, line number and line text; version nibble 4, variant bits 10. */
export async function derivedTransactionId(format: FileFormat, lineNumber: number, lineText: string): Promise<string> {
  const data = new TextEncoder().encode(`${format}\n${lineNumber}\n${lineText}`);
  const bytes = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data)).slice(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
