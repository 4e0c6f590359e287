/** A file's text as the numbered lines staff would see in an editor. */
import { msg } from '../i18n/msg.js';

export interface Line {
  /** 1-based, blank lines counted, so errors point at the line staff can find. */
  number: number;
  text: string;
}

/** Drops a UTF-8 BOM and blank lines; any line terminator (LF, CRLF, CR) ends a line. */
export function splitLines(text: string): Line[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body.split(/\r\n|\r|\n/)
    .map((t, i) => ({ number: i + 1, text: t }))
    .filter((l) => l.text.trim() !== '');
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: msg('is not valid JSON') };
  }
}
