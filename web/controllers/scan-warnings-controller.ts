import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { NewTransaction } from '../../shared/outbox-messages.js';
import type { WarningDialog } from '../components/warning-dialog.js';
import { scanWarnings } from '../services/scan-warnings.js';

/**
 * The warning flow of a desk: each warning a scan raises is asked in the
 * host's warning dialog, one by one, before anything is saved. It remembers
 * the last scan saved in this tab, to catch the same item scanned twice.
 */
export class ScanWarningsController implements ReactiveController {
  private lastSaved: NewTransaction | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  // Nothing to set up; declared so TypeScript accepts the class as a ReactiveController (all its hooks are optional).
  hostConnected(): void {}

  /** Resolves with the codes of the warnings staff allowed, or null when they cancelled one. */
  async confirm(tx: NewTransaction): Promise<string[] | null> {
    const warnings = await scanWarnings(tx, this.lastSaved);
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
