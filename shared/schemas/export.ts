import { Type, type Static } from 'typebox';
import { Lang, TransactionType } from './common.js';

/**
 * The files a session exports to (SPEC §4): Koha's offline circulation file, Evergreen's
 * offline transactions, and this app's own JSON lines (lossless).
 */
export const EXPORT_FORMATS = ['koc', 'evergreen', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportQuery = Type.Object({
  format: Type.Enum(EXPORT_FORMATS, { description: 'koc: Koha (.koc); evergreen: Evergreen offline transactions (pending.xacts); jsonl: this app’s own, lossless' }),
  outcome: Type.Optional(Type.Enum(['applied'] as const, {
    description: 'applied: only the transactions processing applied (with or without a notice) — the clean session. Default: every transaction but the voided',
  })),
}, { additionalProperties: false });
export type ExportQuery = Static<typeof ExportQuery>;

/** The summary's reasons are words for staff: in the language asked for. */
export const ExportSummaryQuery = Type.Object({ ...ExportQuery.properties, lang: Type.Optional(Lang) }, { additionalProperties: false });

export const NotCarried = Type.Object({
  id: Type.String(), type: TransactionType,
  field: Type.Optional(Type.String({ description: 'Absent: the transaction is not in the file. Present: its line is, without this field' })),
  reason: Type.String({ description: 'What the other system does instead, and what staff do about it' }),
});
export type NotCarried = Static<typeof NotCarried>;

export const ExportSummary = Type.Object({
  session: Type.Integer(),
  format: Type.Enum(EXPORT_FORMATS),
  outcome: Type.Enum(['all', 'applied'] as const),
  file_name: Type.String(),
  time_zone: Type.String({ description: 'The zone the file’s local times are written in (Koha), or the session branch’s (Evergreen uses each workstation branch’s for dates)' }),
  transactions: Type.Integer({ description: 'Transactions the export covered' }),
  written: Type.Integer({ description: 'Of them, those with a line in the file' }),
  not_carried: Type.Array(NotCarried),
  never_carried: Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }), { description: 'Fields no line of the format has a place for' }),
});
export type ExportSummary = Static<typeof ExportSummary>;
