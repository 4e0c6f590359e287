import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import * as outbox from '../services/outbox-client.js';
import { exportJsonLines, localOffsetAt, parseTransactionFile } from '../../shared/file-formats/index.js';
import type { DeviceInfo } from '../../shared/outbox-messages.js';
import { plural } from '../../shared/i18n/plural.js';

const FORMAT_NAMES = { jsonl: 'Offline Circulation (JSON lines)', evergreen: 'Evergreen pending.xacts', koha: 'Koha .koc' } as const;

const TEXT = {
  exported: (n: number) => plural(n, { one: 'Exported 1 transaction.', other: `Exported ${n} transactions.` }),
  added: (file: string, format: string, n: number) => plural(n, {
    one: `${file} (${format}): 1 transaction added to the pending list.`,
    other: `${file} (${format}): ${n} transactions added to the pending list.`,
  }),
  already: (n: number) => plural(n, { one: '1 was already on this device.', other: `${n} were already on this device.` }),
  notLoaded: (n: number) => plural(n, { one: '1 line was not loaded.', other: `${n} lines were not loaded.` }),
};

/**
 * Files: export what the device holds (a copy that survives a wiped
 * browser), and load offline files from this app, Evergreen or Koha into
 * the pending list. Loading the same file twice adds nothing.
 */
export class FilesPage extends LightElement {
  static override properties = { device: { attribute: false }, message: { state: true }, errors: { state: true }, busy: { state: true } };
  device!: DeviceInfo;
  message = '';
  errors: { line: number; reason: string }[] = [];
  busy = false;

  private async exportFile(): Promise<void> {
    const includeUploaded = this.querySelector<HTMLInputElement>('input[name="include_uploaded"]')?.checked ?? false;
    const txs = await outbox.exportTransactions(includeUploaded);
    const blob = new Blob([exportJsonLines(txs)], { type: 'application/x-ndjson' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `offline-circ-${this.device.workstation}-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}.jsonl`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.message = TEXT.exported(txs.length);
    this.errors = [];
  }

  private async importFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    this.busy = true;
    this.message = '';
    this.errors = [];
    try {
      // Koha files (and some Evergreen dates) carry no zone: they were written by a desk's clock, most likely in this
      // library's zone, which is this device's; its own rules put each time on the right side of a clock change.
      const parsed = await parseTransactionFile(await file.text(), file.name,
        { workstation: this.device.workstation, staff: this.device.staff.username, timeZoneOffsetAt: localOffsetAt });
      const added = await outbox.importTransactions(parsed.transactions);
      const already = parsed.transactions.length - added;
      this.message = [TEXT.added(file.name, FORMAT_NAMES[parsed.format], added), already ? TEXT.already(already) : '',
        parsed.errors.length ? TEXT.notLoaded(parsed.errors.length) : ''].filter(Boolean).join(' ');
      this.errors = parsed.errors;
    } catch (err) {
      this.message = `${file.name} could not be read: ${(err as Error).message}`;
    } finally {
      this.busy = false;
      input.value = '';
    }
  }

  protected override render() {
    return html`
      <section class="card">
        <h1>Files</h1>
        <h2>Export</h2>
        <p>A file of what this device holds, to keep or to upload from another machine.</p>
        <div class="row">
          <label class="check"><input type="checkbox" name="include_uploaded"> Include transactions already uploaded</label>
          <button @click=${this.exportFile}>Export to a file</button>
        </div>
        <h2>Import</h2>
        <p>Offline files from this app (.jsonl), Evergreen (pending.xacts) or Koha (.koc). They join this device’s pending list.
          Times written without a time zone (all of Koha’s) are read in this device’s zone, ${Intl.DateTimeFormat().resolvedOptions().timeZone}.</p>
        <label>Offline file <input type="file" accept=".jsonl,.json,.ndjson,.xacts,.koc,.txt,text/plain" ?disabled=${this.busy} @change=${this.importFile}></label>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.errors.length ? html`<table><caption>Lines not loaded</caption><thead><tr><th>Line</th><th>Why</th></tr></thead>
          <tbody>${this.errors.map((e) => html`<tr><td>${e.line}</td><td>${e.reason}</td></tr>`)}</tbody></table>` : ''}
      </section>`;
  }
}
customElements.define('oc-files-page', FilesPage);
