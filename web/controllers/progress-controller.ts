import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ProcessProgress } from '../../shared/api.js';

/**
 * Follows a processing run over Server-Sent Events. EventSource reconnects
 * by itself if the connection drops; the stream ends when the run does.
 */
export class ProgressController implements ReactiveController {
  progress: ProcessProgress | null = null;
  private source?: EventSource;

  constructor(private readonly host: ReactiveControllerHost, private readonly onFinished: () => void) {
    host.addController(this);
  }

  follow(sessionId: number): void {
    this.stop();
    this.source = new EventSource(`/api/sessions/${sessionId}/progress`);
    this.source.addEventListener('progress', (event) => {
      this.progress = JSON.parse((event as MessageEvent<string>).data) as ProcessProgress;
      this.host.requestUpdate();
      if (this.progress.finished || this.progress.error) {
        this.stop();
        this.onFinished();
      }
    });
    this.source.onerror = () => {
      // The server closed the stream (the run had ended before we connected): read the final state.
      if (this.source?.readyState === EventSource.CLOSED) { this.stop(); this.onFinished(); }
    };
  }

  stop(): void {
    this.source?.close();
    this.source = undefined;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }
}
