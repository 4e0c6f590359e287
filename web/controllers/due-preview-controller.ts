import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LibraryCalendar } from '../../shared/library-time.js';
import * as rules from '../services/desk-rules.js';

/** A pause in typing before the preview is worked out: a scanner types a whole barcode well within it. */
const PAUSE_MS = 120;

/**
 * The due date the server will give, worked out again as staff scan the
 * card and the item at checkout, so the patron hears it before it is saved.
 */
export class DuePreviewController implements ReactiveController {
  due: rules.DuePreview | null = null;
  private timer?: ReturnType<typeof setTimeout>;
  /** Bumped by clear(), so a preview still being worked out does not land after it. */
  private generation = 0;

  /** `scanned` reads the form: the item and card entered and the desk branch's calendar, or null when nothing is to be previewed. */
  constructor(private readonly host: ReactiveControllerHost,
    private readonly scanned: () => { item?: string; patron?: string; calendar: LibraryCalendar } | null) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** Works the preview out after a pause in typing. */
  schedule(): void {
    clearTimeout(this.timer);
    const generation = this.generation;
    this.timer = setTimeout(async () => {
      const scanned = this.scanned();
      const due = scanned ? await rules.dueFor(scanned.item, scanned.patron, new Date(), scanned.calendar).catch(() => null) : null;
      if (generation === this.generation) this.set(due);
    }, PAUSE_MS);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.generation++;
    this.set(null);
  }

  private set(due: rules.DuePreview | null): void {
    if (due === null && this.due === null) return;
    this.due = due;
    this.host.requestUpdate();
  }
}
