/**
 * Offline transaction files (SPEC §4, "Import and export"): what the desk's
 * Files page and the server use. Each format lives in its own module; this
 * is the surface callers import.
 */
export { parseTransactionFile, type FileLineError, type ImportDevice, type ParsedFile } from './read-file.js';
export { derivedTransactionId } from './derived-id.js';
export type { FileFormat } from './detect.js';
export { exportJsonLines } from './jsonl.js';
export { localOffsetAt, zoneOffsetAt, type ZoneOffsetAt } from './zone-offset.js';
