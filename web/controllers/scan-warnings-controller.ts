import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { NewTransaction } from '../../shared/outbox-messages.js';
import type { WarningDialog } from '../components/warning-dialog.js';
import type { ItemInfo } from '../services/snapshot-store.js';
import { scanWarnings, type Warning } from '../services/scan-warnings.js';

/**
 * The warning flow of a desk: each warning is asked in the host's warning
 * dialog, one by one, before anything is saved. It remembers the last scan
 * saved in this tab, to catch the same item scanned twice.
 */
export class ScanWarningsController implements ReactiveController {
  private lastSaved: NewTransaction | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  // Nothing to set up; declared so TypeScript accepts the class as a ReactiveController (all its hooks are optional).
  hostConnected(): void {}

  /** The warnings a scan raises (its item, a hold, a card in use, a repeat); `item` is what the offline data knows of its item. */
  forScan(tx: NewTransaction, item: ItemInfo | null): Promise<Warning[]> {
    return scanWarnings(tx, this.lastSaved, item);
  }

  /** Asks each warning in turn; resolves with the codes staff allowed, or null as soon as they cancel one. */
  async ask(warnings: Warning[]): Promise<string[] | null> {
    const dialog = this.host.querySelector<WarningDialog>('oc-warning-dialog')!;
    const allowed: string[] = [];
    for (const w of warnings) {
      if (!(await dialog.ask(w.heading, w.message))) return null;
      allowed.push(w.code);
    }
    return allowed;
  }

  saved(tx: NewTransaction): void {
    this.lastSaved = tx;
  }
}
