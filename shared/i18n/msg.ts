/**
 * The msg() and str of every module in shared/ (result codes and their explanations, file
 * errors, money): the same text is read by the desk in its language and written by the
 * server in English for scripts, or in a language asked for (CSV exports).
 *
 * In the app this is @lit/localize's own msg(), so the desk's language applies. The server
 * never configures @lit/localize (a process serves every language at once); `inLocale`
 * points this msg() at one locale's templates for the length of a synchronous call.
 * lit-localize extract finds these calls by msg()'s type, so they are extracted like the app's.
 */
import { msg as litMsg, str } from '@lit/localize';
import { runtimeMsg } from '@lit/localize/internal/runtime-msg.js';
import type { LocaleModule } from '@lit/localize';
import { setFormatLocale, formatLocale } from './locale.js';

export { str };

let templates: LocaleModule['templates'] | undefined;

type Untyped = (template: unknown, options?: unknown) => string;

// litMsg is read at each call (a live binding that configureLocalization replaces), and called
// untyped so that the extractor does not take this forwarding call for a message of its own.
export const msg = ((template: Parameters<typeof litMsg>[0], options?: Parameters<typeof litMsg>[1]) =>
  templates ? runtimeMsg(templates, template as never, options) : (litMsg as Untyped)(template, options)) as typeof litMsg;

/** Runs `fn` with msg() and the formatters in `locale` (its templates from shared/i18n/locales), then restores them. */
export function inLocale<T>(locale: string, module: LocaleModule | null, fn: () => T): T {
  const before = { templates, locale: formatLocale() };
  templates = module?.templates;
  setFormatLocale(locale);
  try {
    return fn();
  } finally {
    templates = before.templates;
    setFormatLocale(before.locale);
  }
}
