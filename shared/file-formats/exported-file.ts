/**
 * What a writer hands back: the file, and everything the file does not say.
 * A writer never puts into a file what the other system would not read (an
 * unknown row can stop that system's whole upload), so whatever has no place
 * in the format is listed here for staff to handle by hand instead.
 */
import type { TransactionType } from '../transaction.js';

export interface NotCarried {
  id: string;
  type: TransactionType;
  /** Absent: the transaction is not in the file at all. Present: its row is, without this field's meaning. */
  field?: string;
  /** For staff: what the other system will do instead, and what to do about it. */
  reason: string;
}

/** A field no row of the format has a place for, said once for the whole file rather than for every row. */
export interface FieldNeverCarried {
  field: string;
  reason: string;
}

export interface ExportedFile {
  text: string;
  notCarried: NotCarried[];
  neverCarried: readonly FieldNeverCarried[];
}
