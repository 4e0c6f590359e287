/**
 * A small, strict RFC 4180 CSV reader.
 *
 * Why our own: the import must tell a librarian exactly which line of their file is
 * wrong, so every record carries the line it *starts* on (a quoted field may span
 * lines), and sloppy quoting must be an error rather than guessed at — the popular
 * parsers are lenient by default and none report record start lines. What we need
 * is ~100 lines, so it is not worth a dependency.
 *
 * Accepted: UTF-8 text (a leading BOM is dropped), fields separated by commas, records
 * ended by CRLF or LF, fields quoted with `"` holding commas, line breaks and `""` for
 * a quote. Rejected, each with its line: a quote inside an unquoted field, anything
 * but a comma or line end after a closing quote, a quoted field never closed, and a
 * carriage return not followed by a line feed. Empty lines at the end are ignored.
 */
import { problem, type ImportProblem } from '../../shared/import-errors.js';

export interface CsvRecord {
  /** 1-based line of the file on which the record starts. */
  line: number;
  fields: string[];
}

export interface CsvError {
  line: number;
  problem: ImportProblem;
}

export type CsvEvent = ({ kind: 'record' } & CsvRecord) | ({ kind: 'error' } & CsvError);

export interface CsvParseResult {
  /** The first record, or null when the file has none. */
  header: CsvRecord | null;
  rows: CsvRecord[];
  errors: CsvError[];
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

/** Parses a whole file; records after a malformed one are still read. */
export function parseCsv(text: string): CsvParseResult {
  let header: CsvRecord | null = null;
  const rows: CsvRecord[] = [];
  const errors: CsvError[] = [];
  for (const event of readCsv(text)) {
    if (event.kind === 'error') errors.push({ line: event.line, problem: event.problem });
    else if (header === null && errors.length === 0 && rows.length === 0) header = { line: event.line, fields: event.fields };
    else rows.push({ line: event.line, fields: event.fields });
  }
  return { header, rows, errors };
}

/**
 * Yields records and errors in file order, one at a time, so a 500,000-row file can be
 * checked without holding all of its rows. After an error the reader skips to the
 * next line and carries on, so one file reports all of its problems.
 */
export function* readCsv(text: string): Generator<CsvEvent> {
  const length = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // Empty records are held back until something follows them: only trailing ones vanish.
  const blanks: CsvRecord[] = [];

  /** Moves past the rest of the current physical line after an error. */
  const skipLine = (): void => {
    const next = text.indexOf('\n', pos);
    pos = next === -1 ? length : next + 1;
    if (next !== -1) line++;
  };

  while (pos < length) {
    const start = line;
    const fields: string[] = [];
    let error: ImportProblem | null = null;
    let errorLine = line;

    record: for (;;) {
      if (text.charCodeAt(pos) === QUOTE) {
        const openedOn = line;
        let value = '';
        pos++;
        for (;;) {
          const close = text.indexOf('"', pos);
          if (close === -1) {
            error = problem('csv_unclosed_quote', {});
            errorLine = openedOn;
            line += countLineFeeds(text, pos, length);
            pos = length;
            break record;
          }
          line += countLineFeeds(text, pos, close);
          value += text.slice(pos, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            pos = close + 2;
          } else {
            pos = close + 1;
            break;
          }
        }
        fields.push(value);
      } else {
        let end = pos;
        for (; end < length; end++) {
          const c = text.charCodeAt(end);
          if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
        }
        fields.push(text.slice(pos, end));
        pos = end;
        if (text.charCodeAt(pos) === QUOTE) {
          error = problem('csv_quote_in_field', {});
          errorLine = line;
          skipLine();
          break record;
        }
      }

      // After a field: a comma, a line end or the end of the file.
      const c = text.charCodeAt(pos);
      if (pos >= length) break;
      if (c === COMMA) {
        pos++; // at the end of the file, the next turn reads the empty last field of "a,"
        continue;
      }
      if (c === LF) {
        pos++;
        line++;
        break;
      }
      if (c === CR) {
        if (text.charCodeAt(pos + 1) === LF) {
          pos += 2;
          line++;
          break;
        }
        error = problem('csv_lone_cr', {});
        errorLine = line;
        skipLine();
        break record;
      }
      error = problem('csv_after_quote', { character: text[pos] });
      errorLine = line;
      skipLine();
      break record;
    }

    if (error !== null) {
      yield* flush(blanks);
      yield { kind: 'error', line: errorLine, problem: error };
    } else if (fields.length === 1 && fields[0] === '') {
      blanks.push({ line: start, fields });
    } else {
      yield* flush(blanks);
      yield { kind: 'record', line: start, fields };
    }
  }
}

function* flush(blanks: CsvRecord[]): Generator<CsvEvent> {
  for (const blank of blanks) yield { kind: 'record', ...blank };
  blanks.length = 0;
}

function countLineFeeds(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
