import { Type, type Static } from 'typebox';

/** The files a library's data comes in, in the order they are checked and written. */
export const IMPORT_FILES = ['branches', 'patrons', 'items'] as const;
export type ImportFile = (typeof IMPORT_FILES)[number];

/** CSV files as text (any subset, at least one); 64 MB covers half a million items. */
const CsvText = Type.Optional(Type.String({ maxLength: 64 * 1024 * 1024 }));
export const ImportBody = Type.Object({ branches: CsvText, patrons: CsvText, items: CsvText }, { additionalProperties: false, minProperties: 1 });
export type ImportFiles = Static<typeof ImportBody>;

export const ImportCounts = Type.Object({ inserted: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() });
export type ImportCounts = Static<typeof ImportCounts>;

export const ImportError = Type.Object({
  file: Type.Enum(IMPORT_FILES),
  line: Type.Integer({ description: '1-based line where the bad record starts (1 for problems with the header)' }),
  reason: Type.String(),
});
export type ImportError = Static<typeof ImportError>;

export const ImportReport = Type.Object({
  ok: Type.Boolean(),
  counts: Type.Record(Type.Enum(IMPORT_FILES), ImportCounts),
  errors: Type.Array(ImportError),
});
export type ImportReport = Static<typeof ImportReport>;

/** A 400 from the import: IMPORT_REJECTED lists the bad rows; a malformed request (BAD_REQUEST and the like) has no list. */
export const ImportRejected = Type.Object({
  code: Type.String(), message: Type.String(),
  errors: Type.Optional(Type.Array(ImportError)),
});
export type ImportRejected = Static<typeof ImportRejected>;
