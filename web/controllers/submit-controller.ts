import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { errorMessage } from '../services/api.js';

/**
 * A form that sends one request: busy while it runs, so the button can be
 * disabled against a second submit, and the error to show if it fails.
 */
export class SubmitController implements ReactiveController {
  busy = false;
  error = '';

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  // Nothing to set up; declared so TypeScript accepts the class as a ReactiveController (all its hooks are optional).
  hostConnected(): void {}

  /** Handles a form's submit event; whatever `action` throws becomes `error`. */
  async submit(event: SubmitEvent, action: (form: FormData) => Promise<void>): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.error = '';
    this.host.requestUpdate();
    try {
      await action(form);
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }
}
