import { html } from 'lit';
import { LightElement } from '../components/light-element.js';
import * as outbox from '../services/outbox-client.js';
import { exportJsonLines, localOffsetAt, parseTransactionFile, type FileLineError } from '../../shared/file-formats/index.js';
import type { DeviceInfo } from '../../shared/outbox-messages.js';
import { plural } from '../../shared/i18n/plural.js';
import { formatCount } from '../../shared/i18n/locale.js';
import { msg, str } from '@lit/localize';
import { code } from '../components/data-text.js';

/** Each format by the name staff know it by: the other systems' names are theirs, not translated. */
const FORMAT_NAMES = {
  get jsonl() { return msg('Offline Circulation (JSON lines)'); },
  evergreen: 'Evergreen pending.xacts',
  koha: 'Koha .koc',
};

const TEXT = {
  exported: (n: number) => plural(n, {
    one: msg(str`Exported ${formatCount(n)} transaction.`),
    other: msg(str`Exported ${formatCount(n)} transactions.`),
  }),
  added: (file: string, format: string, n: number) => plural(n, {
    one: msg(str`${file} (${format}): ${formatCount(n)} transaction added to the pending list.`),
    other: msg(str`${file} (${format}): ${formatCount(n)} transactions added to the pending list.`),
  }),
  already: (n: number) => plural(n, {
    one: msg(str`${formatCount(n)} was already on this device.`),
    other: msg(str`${formatCount(n)} were already on this device.`),
  }),
  notLoaded: (n: number) => plural(n, {
    one: msg(str`${formatCount(n)} line was not loaded.`),
    other: msg(str`${formatCount(n)} lines were not loaded.`),
  }),
  unreadable: (file: string, reason: string) => msg(str`${file} could not be read: ${reason}`),
  get heading() { return msg('Files'); },
  get exportHeading() { return msg('Export'); },
  get exportText() { return msg('A file of what this device holds, to keep or to upload from another machine.'); },
  get includeUploaded() { return msg('Include transactions already uploaded'); },
  get exportButton() { return msg('Export to a file'); },
  get importHeading() { return msg('Import'); },
  get importText() {
    return msg('Offline files from this app (.jsonl), Evergreen (pending.xacts) or Koha (.koc). They join this device’s pending list.');
  },
  zoneText: (zone: string) => msg(str`Times written without a time zone (all of Koha’s) are read in this device’s zone, ${zone}.`),
  get file() { return msg('Offline file'); },
  get notLoadedCaption() { return msg('Lines not loaded'); },
  get line() { return msg('Line'); },
  get why() { return msg('Why'); },
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
  errors: FileLineError[] = [];
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
      this.message = TEXT.unreadable(file.name, (err as Error).message);
    } finally {
      this.busy = false;
      input.value = '';
    }
  }

  protected override render() {
    return html`
      <section class="card">
        <h1>${TEXT.heading}</h1>
        <h2>${TEXT.exportHeading}</h2>
        <p>${TEXT.exportText}</p>
        <div class="row">
          <label class="check"><input type="checkbox" name="include_uploaded"> ${TEXT.includeUploaded}</label>
          <button @click=${this.exportFile}>${TEXT.exportButton}</button>
        </div>
        <h2>${TEXT.importHeading}</h2>
        <p>${TEXT.importText} ${TEXT.zoneText(Intl.DateTimeFormat().resolvedOptions().timeZone)}</p>
        <label>${TEXT.file} <input type="file" accept=".jsonl,.json,.ndjson,.xacts,.koc,.txt,text/plain" ?disabled=${this.busy} @change=${this.importFile}></label>
        ${this.message ? html`<p role="status">${this.message}</p>` : ''}
        ${this.errors.length ? html`<table><caption>${TEXT.notLoadedCaption}</caption>
          <thead><tr><th>${TEXT.line}</th><th>${TEXT.why}</th></tr></thead>
          <tbody>${this.errors.map((e) => html`<tr><td>${e.line}</td><td>${e.field ? html`${code(e.field)} ` : ''}${e.reason}</td></tr>`)}</tbody></table>` : ''}
      </section>`;
  }
}
customElements.define('oc-files-page', FilesPage);
