import { errorMessage } from './api.js';

/** What an admin page shows after one of its actions. */
export interface ActionOutcome { error: string; message: string }

/**
 * An admin page's action (add, change, remove): on success what was done and the page's data
 * read again, else why the server refused it, in the desk's language. Both texts are cleared
 * first, so an old message never stands beside a new error.
 */
export async function runAction(page: ActionOutcome, action: () => Promise<unknown>, done: string, reload: () => Promise<unknown>): Promise<void> {
  page.error = '';
  page.message = '';
  try {
    await action();
    page.message = done;
    await reload();
  } catch (err) {
    page.error = errorMessage(err);
  }
}
