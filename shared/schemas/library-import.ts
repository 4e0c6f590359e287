import { Type, type Static } from 'typebox';
import { IMPORT_ERROR_CODES } from '../import-errors.js';

/**
 * The files a library's data comes in, in the order they are checked and written: each may
 * refer to what the ones before it hold (a loan to its item and patron, a hold to a record).
 */
export const IMPORT_FILES = ['branches', 'hours', 'closed', 'policies', 'patrons', 'items', 'loans', 'holds', 'bills'] as const;
export type ImportFile = (typeof IMPORT_FILES)[number];

/** The files `complete` applies to: those describing state that comes and goes (branches, patrons and items are never removed). */
export const COMPLETE_FILES = ['hours', 'closed', 'policies', 'loans', 'holds', 'bills'] as const satisfies readonly ImportFile[];

/** CSV files as text (any subset, at least one); 64 MB covers half a million items. */
const CsvText = Type.Optional(Type.String({ maxLength: 64 * 1024 * 1024 }));

export const ImportBody = Type.Object({
  branches: CsvText, hours: CsvText, closed: CsvText, policies: CsvText, patrons: CsvText, items: CsvText,
  loans: CsvText, holds: CsvText, bills: CsvText,
  as_of: Type.Optional(Type.String({
    maxLength: 40,
    description: 'When the files describe the library (ISO 8601 with Z or an offset; default now): what the import changes takes effect then, '
      + 'so scans made before it are stale, and what this server changed after it is kept',
  })),
  complete: Type.Optional(Type.Boolean({
    description: `The files ${COMPLETE_FILES.join(', ')} are the whole truth: what the library has that they do not is closed, cancelled, settled or removed`,
  })),
}, { additionalProperties: false, minProperties: 1 });
export type ImportBody = Static<typeof ImportBody>;
/** The files of an import, by kind. */
export type ImportFiles = Partial<Record<ImportFile, string>>;

export const ImportCounts = Type.Object({
  inserted: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(),
  removed: Type.Optional(Type.Integer({ description: 'Not in a complete file: loans closed, holds cancelled, bills settled, closures, policies or hours removed' })),
  kept_newer: Type.Optional(Type.Integer({ description: 'Left as they are: this server changed them after the files’ as-of time' })),
});
export type ImportCounts = Static<typeof ImportCounts>;

export const ImportError = Type.Object({
  file: Type.Enum(IMPORT_FILES),
  line: Type.Integer({ description: '1-based line where the bad record starts (1 for problems with the header or the file as a whole)' }),
  code: Type.Enum(IMPORT_ERROR_CODES, { description: 'What is wrong (shared/import-errors.ts has the sentence for each)' }),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
    description: 'The values the sentence names: the column, the value found, the line it was first seen on, …',
  }),
  reason: Type.String({ description: 'The problem in English, for scripts' }),
});
export type ImportError = Static<typeof ImportError>;

export const ImportReport = Type.Object({
  ok: Type.Boolean(),
  /** The as-of time the run used, as stored (UTC). */
  as_of: Type.String(),
  /** Counts of each file given. */
  counts: Type.Partial(Type.Record(Type.Enum(IMPORT_FILES), ImportCounts)),
  errors: Type.Array(ImportError),
});
export type ImportReport = Static<typeof ImportReport>;

/** A 400 from the import: IMPORT_REJECTED lists the bad rows; a malformed request (BAD_REQUEST, BAD_AS_OF and the like) has no list. */
export const ImportRejected = Type.Object({
  code: Type.String(), message: Type.String(),
  errors: Type.Optional(Type.Array(ImportError)),
});
export type ImportRejected = Static<typeof ImportRejected>;
