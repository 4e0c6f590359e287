/**
 * A session, back to the library system it came from (SPEC §4, issue 13 "Out"): Koha's
 * `.koc`, Evergreen's offline transactions, or this app's JSON lines. The writers
 * (shared/file-formats) decide what each format can say; this decides which transactions
 * go, in what order, and in which time zone, and lists what a file does not carry.
 *
 * - Which: every transaction of the session but the voided (an administrator discarded
 *   them), in processing order; or, `appliedOnly`, those processing applied (with or
 *   without a notice) — the clean session, once exceptions are fixed.
 * - Time: Koha and Evergreen get each transaction at the time processing used, the
 *   device's clock corrected by the skew measured at upload, so the library system
 *   applies it when this server did. The JSON lines are the records exactly as uploaded.
 * - Zone: Koha reads a row's time as its own local time, and a Koha installation keeps
 *   one zone: the file is written in the session branch's zone — for a system-wide
 *   session, the system's (set it to the zone Koha runs in). Evergreen's times are
 *   instants; only a due date given as a date and a book-drop date need a zone, and
 *   Evergreen keeps one per library (lib.timezone): each transaction's is its
 *   workstation's branch's, the zone the desk told the patron the date in.
 *
 * Slices of SLICE transactions are read and written one after another, so a large
 * session streams without being held whole.
 */
import type { ExportFormat, ExportSummary } from '../../shared/api.js';
import type { OfflineTransaction } from '../../shared/transaction.js';
import {
  evergreenNeverCarries, kocNeverCarries, toEvergreenFile, toJsonLinesFile, toKocFile, type FieldNeverCarried, type NotCarried,
} from '../../shared/file-formats/index.js';
import type { LibraryCalendar } from '../../shared/library-time.js';
import type { SessionExportRepo } from '../repo/session-export-repo.js';
import { inLanguage } from '../i18n/languages.js';

const SLICE = 1000;

export interface ExportPlan {
  sessionId: number;
  format: ExportFormat;
  appliedOnly: boolean;
  fileName: string;
  /** The session branch's zone: every Koha row's. */
  zone: string;
  order: number[];
  /** The zone of a transaction's workstation's branch (Evergreen's dates). */
  zoneOf: (workstation: string) => string;
}

export interface ExportSlice { text: string; notCarried: NotCarried[] }

/** What a format never carries, worded when asked (in the language of the moment). */
export const neverCarries = (format: ExportFormat): readonly FieldNeverCarried[] =>
  format === 'koc' ? kocNeverCarries() : format === 'evergreen' ? evergreenNeverCarries() : [];

const FILE_NAMES: Record<ExportFormat, (id: number) => string> = {
  koc: (id) => `session-${id}.koc`,
  evergreen: (id) => `session-${id}-evergreen.xacts`,
  jsonl: (id) => `session-${id}.jsonl`,
};

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  koc: 'text/plain; charset=utf-8',
  evergreen: 'application/x-ndjson; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

export class SessionExporter {
  constructor(
    private readonly repo: SessionExportRepo,
    /** Every branch's calendar (CalendarsRepo.all): only the zones are used. */
    private readonly calendars: () => Map<number, LibraryCalendar>,
    private readonly defaultZone: string,
  ) {}

  plan(session: { id: number; branch_id: number }, format: ExportFormat, appliedOnly: boolean): ExportPlan {
    const calendars = this.calendars();
    const zoneOfBranch = (id: number | undefined) => (id === undefined ? undefined : calendars.get(id)?.zone) ?? this.defaultZone;
    const zone = zoneOfBranch(session.branch_id);
    const branchOf = this.repo.workstationBranches();
    return {
      sessionId: session.id, format, appliedOnly, fileName: FILE_NAMES[format](session.id), zone,
      order: this.repo.order(session.id, appliedOnly),
      zoneOf: (workstation) => (branchOf.has(workstation) ? zoneOfBranch(branchOf.get(workstation)) : zone),
    };
  }

  /** The file, a slice at a time, each with what it does not carry. */
  *slices(plan: ExportPlan): Generator<ExportSlice> {
    // Koha's file has one header: written with the first slice (an empty session is the header alone).
    if (plan.format === 'koc' && plan.order.length === 0) yield { text: toKocFile([], { timeZone: plan.zone }).text, notCarried: [] };
    for (let start = 0; start < plan.order.length; start += SLICE) {
      const rows = this.repo.rows(plan.order.slice(start, start + SLICE));
      const records = rows.map((r) => JSON.parse(r.payload) as OfflineTransaction);
      if (plan.format === 'jsonl') {
        yield { text: toJsonLinesFile(records).text, notCarried: [] };
        continue;
      }
      // At the time processing applied it: the device's clock corrected by its measured skew.
      const txs = records.map((tx, i) => ({ ...tx, occurred_at: new Date(rows[i].sort_at).toISOString() }));
      if (plan.format === 'koc') {
        const file = toKocFile(txs, { timeZone: plan.zone });
        yield { text: start === 0 ? file.text : file.text.slice(file.text.indexOf('\n') + 1), notCarried: file.notCarried };
        continue;
      }
      // Evergreen: runs of transactions from branches in the same zone, each written in that zone.
      let text = '';
      const notCarried: NotCarried[] = [];
      for (let i = 0; i < txs.length;) {
        const zone = plan.zoneOf(rows[i].workstation);
        let end = i + 1;
        while (end < txs.length && plan.zoneOf(rows[end].workstation) === zone) end++;
        const file = toEvergreenFile(txs.slice(i, end), { timeZone: zone });
        text += file.text;
        notCarried.push(...file.notCarried);
        i = end;
      }
      yield { text, notCarried };
    }
  }

  /**
   * The slices one event-loop turn apart, so a large session's export never keeps the
   * server from answering other requests (a slice of SLICE transactions is a few milliseconds).
   */
  async *slicesYielding(plan: ExportPlan): AsyncGenerator<ExportSlice> {
    for (const slice of this.slices(plan)) {
      yield slice;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * What the file holds and what it does not carry, from the same slices the file is written from,
   * its reasons worded in `language` (English unless given): each slice is worked out inside
   * inLanguage, which holds for one synchronous call, and the event loop turns between slices.
   */
  async summary(plan: ExportPlan, language = 'en'): Promise<ExportSummary> {
    const notCarried: NotCarried[] = [];
    const slices = this.slices(plan);
    for (;;) {
      const next = inLanguage(language, () => slices.next());
      if (next.done) break;
      notCarried.push(...next.value.notCarried);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const left = new Set(notCarried.filter((n) => n.field === undefined).map((n) => n.id));
    return {
      session: plan.sessionId, format: plan.format, outcome: plan.appliedOnly ? 'applied' : 'all', file_name: plan.fileName, time_zone: plan.zone,
      transactions: plan.order.length, written: plan.order.length - left.size, not_carried: notCarried,
      never_carried: [...inLanguage(language, () => neverCarries(plan.format))],
    };
  }
}
