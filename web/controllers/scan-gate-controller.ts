import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Fired at an open dialog when a scan arrived while it was open and was not recorded. */
export class ScanRefusedEvent extends Event {
  constructor(readonly code: string) { super('scan-refused', { bubbles: true }); }
}

/** Keys that stop this long before their Enter are a person typing, not a scanner: they are given back as text. */
const PAUSE_MS = 1000;

export interface ScanGateHandlers {
  /** A scan that arrived while the previous one was being worked on, now that it is done: record it as if just scanned. */
  replay(code: string): void;
  /** A scan that arrived while a dialog was open: it was not recorded, and staff must be told. */
  refused(code: string): void;
  /** Keys held and then given back (a person typing slowly while the desk was busy): put them where typing goes. */
  giveBack(text: string): void;
}

/**
 * Keeps a scanner's input where it belongs. A scanner types its code and
 * Enter into whatever has focus, fast. While the desk works on a scan
 * (looking it up, asking, saving) the next scan's keys are held, off the
 * fields, so they cannot glue onto a code still there; its Enter then
 * replays it once the desk is done. While a dialog is open, a scan's keys
 * never reach it (its Enter would press the focused button): the scan is
 * refused, with the error tone and a message in the dialog and on the page.
 * A lone Enter, Space or Escape in a dialog is a person answering it, and
 * passes.
 */
export class ScanGateController implements ReactiveController {
  /** Pieces of work under way (a scan's, a mode switch's): they may overlap, and keys are held until all are done. */
  private working = 0;
  private typed = '';
  /** Whether a key of the scan being typed arrived while a dialog was open. */
  private typedInDialog = false;
  private pauseTimer?: ReturnType<typeof setTimeout>;
  /** What waits for the work under way, in the order it came: scans (their codes) and the desk's own actions (a mode's key). */
  private readonly held: (string | (() => void))[] = [];

  constructor(private readonly host: ReactiveControllerHost & HTMLElement, private readonly scanArea: () => Element | null,
    private readonly handlers: ScanGateHandlers) {
    host.addController(this);
  }

  hostConnected(): void {
    // Capture, on the document: the keys are taken before any field or button sees them.
    document.addEventListener('keydown', this.onKey, true);
  }

  hostDisconnected(): void {
    document.removeEventListener('keydown', this.onKey, true);
    clearTimeout(this.pauseTimer);
  }

  /** Whether the desk is working on a scan (its keys are held meanwhile). */
  get busy(): boolean {
    return this.working > 0;
  }

  /** Runs the desk's work on one scan (or a mode switch); scans arriving meanwhile wait for it, then are replayed in order. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.working++;
    try {
      return await work();
    } finally {
      this.working--;
      this.drain();
    }
  }

  /**
   * Runs `action` now or, while the desk is working, after what already waits, in order: a mode's key pressed
   * between two scans applies to the second, however fast they come.
   */
  whenIdle(action: () => void): void {
    if (this.working > 0) this.held.push(action);
    else action();
  }

  /** What waits, one at a time: each scan replayed starts its own work, and the rest waits for that. */
  private drain(): void {
    while (this.working === 0 && this.held.length) {
      const next = this.held.shift()!;
      if (typeof next === 'string') this.handlers.replay(next);
      else next();
    }
  }

  private readonly onKey = (event: KeyboardEvent): void => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const printable = event.key.length === 1;
    const typing = this.typed !== '';
    if (!typing && !printable) return;
    const dialog = document.querySelector('dialog[open]');
    if (!typing) {
      // Nothing held: a printable key starts holding only where a scan would be lost or land on another.
      if (!dialog && !(this.working > 0 && this.inScanArea(event.target))) return;
    } else if (!printable && event.key !== 'Enter' && event.key !== 'Backspace') {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (dialog) this.typedInDialog = true;
    clearTimeout(this.pauseTimer);
    if (event.key === 'Enter') {
      this.finish(dialog);
      return;
    }
    this.typed = event.key === 'Backspace' ? this.typed.slice(0, -1) : this.typed + event.key;
    this.pauseTimer = setTimeout(() => this.giveBack(), PAUSE_MS);
  };

  private inScanArea(target: EventTarget | null): boolean {
    return target === document.body || (target instanceof Node && !!this.scanArea()?.contains(target));
  }

  /** A held scan's Enter: refused if a dialog saw any of it, else recorded now or once the current work is done. */
  private finish(dialog: Element | null): void {
    const code = this.typed;
    const refused = this.typedInDialog;
    this.typed = '';
    this.typedInDialog = false;
    if (!code) return;
    if (refused) {
      dialog?.dispatchEvent(new ScanRefusedEvent(code));
      this.handlers.refused(code);
    } else if (this.working > 0) {
      this.held.push(code);
    } else {
      this.handlers.replay(code);
    }
  }

  private giveBack(): void {
    const text = this.typed;
    const refused = this.typedInDialog;
    this.typed = '';
    this.typedInDialog = false;
    // Typed into a dialog, it was never meant as an answer: dropped. Typed while the desk was busy, it goes where typing goes.
    if (text && !refused) this.handlers.giveBack(text);
  }
}
