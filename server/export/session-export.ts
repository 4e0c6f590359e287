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
  EVERGREEN_NEVER_CARRIES, KOC_NEVER_CARRIES, toEvergreenFile, toJsonLinesFile, toKocFile, type FieldNeverCarried, type NotCarried,
} from '../../shared/file-formats/index.js';
import type { LibraryCalendar } from '../../shared/library-time.js';
import type { SessionExportRepo } from '../repo/session-export-repo.js';
import { inLanguage } from '../i18n/languages.js';
import { sourceLocale } from '../../shared/i18n/locales/locale-codes.js';

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
  /** The language what the file does not carry is said in (a matched one: languages.ts matchLanguage); the file itself has no words. */
  language: string;
}

export interface ExportSlice { text: string; notCarried: NotCarried[] }

export const NEVER_CARRIES: Record<ExportFormat, readonly FieldNeverCarried[]> = {
  koc: KOC_NEVER_CARRIES, evergreen: EVERGREEN_NEVER_CARRIES, jsonl: [],
};

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

  plan(session: { id: number; branch_id: number }, format: ExportFormat, appliedOnly: boolean, language: string = sourceLocale): ExportPlan {
    const calendars = this.calendars();
    const zoneOfBranch = (id: number | undefined) => (id === undefined ? undefined : calendars.get(id)?.zone) ?? this.defaultZone;
    const zone = zoneOfBranch(session.branch_id);
    const branchOf = this.repo.workstationBranches();
    return {
      sessionId: session.id, format, appliedOnly, fileName: FILE_NAMES[format](session.id), zone,
      order: this.repo.order(session.id, appliedOnly),
      zoneOf: (workstation) => (branchOf.has(workstation) ? zoneOfBranch(branchOf.get(workstation)) : zone),
      language,
    };
  }

  /** The file, a slice at a time, each with what it does not carry. */
  *slices(plan: ExportPlan): Generator<ExportSlice> {
    // The writers word what they leave out as they write; each call is synchronous, so the language holds for it alone.
    const toKoc = (txs: OfflineTransaction[]) => inLanguage(plan.language, () => toKocFile(txs, { timeZone: plan.zone }));
    // Koha's file has one header: written with the first slice (an empty session is the header alone).
    if (plan.format === 'koc' && plan.order.length === 0) yield { text: toKoc([]).text, notCarried: [] };
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
        const file = toKoc(txs);
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
        const file = inLanguage(plan.language, () => toEvergreenFile(txs.slice(i, end), { timeZone: zone }));
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

  /** What the file holds and what it does not carry, from the same slices the file is written from. */
  async summary(plan: ExportPlan): Promise<ExportSummary> {
    const notCarried: NotCarried[] = [];
    for await (const slice of this.slicesYielding(plan)) notCarried.push(...slice.notCarried);
    const left = new Set(notCarried.filter((n) => n.field === undefined).map((n) => n.id));
    return {
      session: plan.sessionId, format: plan.format, outcome: plan.appliedOnly ? 'applied' : 'all', file_name: plan.fileName, time_zone: plan.zone,
      transactions: plan.order.length, written: plan.order.length - left.size, not_carried: notCarried,
      never_carried: inLanguage(plan.language, () => NEVER_CARRIES[plan.format].map(({ field, reason }) => ({ field, reason }))),
    };
  }
}
