import { html } from 'lit';
import { LightElement } from './light-element.js';
import { msg, str } from '@lit/localize';

const TEXT = {
  get title() { return msg('Scan with camera'); },
  get hold() { return msg('Hold the barcode in front of the camera.'); },
  get cancel() { return msg('Cancel'); },
  /** The browser's reason, by the kind of failure it names; its own words only for a kind not listed. */
  failed: (err: unknown) => {
    switch ((err as { name?: string } | null)?.name) {
      case 'NotAllowedError': case 'SecurityError':
        return msg('The camera could not be used: this browser was not allowed to use it. Allow the camera in the browser’s site settings, or type the barcode.');
      case 'NotFoundError': case 'OverconstrainedError':
        return msg('The camera could not be used: this device has no camera it can scan with. Type the barcode instead.');
      case 'NotReadableError': case 'AbortError':
        return msg('The camera could not be used: another app may be using it. Close that app and try again, or type the barcode.');
      default:
        return msg(str`The camera could not be used: ${(err as Error)?.message ?? String(err)}`);
    }
  },
};

interface DetectedBarcode { rawValue: string }
interface BarcodeDetectorLike { detect(source: HTMLVideoElement): Promise<DetectedBarcode[]> }
type BarcodeDetectorCtor = new (options?: { formats?: string[] }) => BarcodeDetectorLike;

export class BarcodeScannedEvent extends Event {
  constructor(readonly value: string) { super('barcode-scanned', { bubbles: true, composed: true }); }
}

/** Whether this browser can read barcodes from the camera (Chromium on Android and ChromeOS, some others). */
export const cameraScanningAvailable = (): boolean => 'BarcodeDetector' in window && !!navigator.mediaDevices?.getUserMedia;

/**
 * Scans a barcode with the camera, for tablets without a scanner. The
 * platform's BarcodeDetector does the reading; this only shows the video
 * and stops the camera as soon as a barcode is read or staff cancel.
 */
export class CameraScan extends LightElement {
  static override properties = { error: { state: true } };
  error = '';
  private stream?: MediaStream;
  private stopped = true;

  async start(): Promise<void> {
    this.error = '';
    await this.updateComplete;
    this.querySelector('dialog')?.showModal();
    const video = this.querySelector('video')!;
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      video.srcObject = this.stream;
      await video.play();
      const Detector = (window as unknown as { BarcodeDetector: BarcodeDetectorCtor }).BarcodeDetector;
      const detector = new Detector();
      this.stopped = false;
      while (!this.stopped) {
        const found = await detector.detect(video).catch(() => []);
        if (found[0]?.rawValue) {
          this.dispatchEvent(new BarcodeScannedEvent(found[0].rawValue.trim()));
          this.stop();
          return;
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    } catch (err) {
      this.error = TEXT.failed(err);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
    this.querySelector('dialog')?.close();
  }

  protected override render() {
    return html`<dialog aria-label=${TEXT.title} @close=${() => this.stop()}>
      <video class="camera" muted playsinline></video>
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : html`<p>${TEXT.hold}</p>`}
      <div class="actions"><button type="button" class="secondary" @click=${() => this.stop()}>${TEXT.cancel}</button></div>
    </dialog>`;
  }
}
customElements.define('oc-camera-scan', CameraScan);
