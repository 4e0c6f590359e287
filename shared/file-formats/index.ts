/**
 * Offline transaction files (SPEC §4, "Import and export"): reading this
 * app's, Evergreen's and Koha's files into transactions, and writing a
 * session back to each, with what a format cannot carry listed beside it.
 * Each format lives in its own modules; this is the surface callers import.
 */
export { parseTransactionFile, type FileLineError, type ImportDevice, type ParsedFile } from './read-file.js';
export { derivedTransactionId } from './derived-id.js';
export type { FileFormat } from './detect.js';
export { exportJsonLines, toJsonLinesFile } from './jsonl.js';
export { toKocFile, KOC_NEVER_CARRIES, type KocOptions } from './koha-export.js';
export { toEvergreenFile, EVERGREEN_NEVER_CARRIES, type EvergreenOptions } from './evergreen-export.js';
export type { ExportedFile, FieldNeverCarried, NotCarried } from './exported-file.js';
export { localOffsetAt, zoneOffsetAt, type ZoneOffsetAt } from './zone-offset.js';
