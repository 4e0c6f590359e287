/**
 * The API's refusals that staff read in the app, as sentences with data: the server answers
 * `{ code, message, message_key, params }`, where `message` is this sentence in English (for
 * scripts and logs) and the app words `message_key` with `params` in the desk's language.
 * One definition of each sentence, here. Refusals without a key (bad input a form cannot
 * send, a missing route) keep only their English `message`.
 */
import { msg, str } from './i18n/msg.js';
import { formatCount } from './i18n/locale.js';
import { plural } from './i18n/plural.js';
import { outcomeWord, sessionStateWord } from './words.js';

type Params = Record<string, string | number | null>;

const SENTENCES = {
  notLoggedIn: () => msg('Log in to continue'),
  badCredentials: () => msg('Wrong username or password'),
  tooManyAttempts: (p: { minutes: number }) => plural(p.minutes, {
    one: msg(str`Too many failed logins; try again in ${formatCount(p.minutes)} minute`),
    other: msg(str`Too many failed logins; try again in ${formatCount(p.minutes)} minutes`),
  }),
  internalError: () => msg('Something went wrong on the server; the request changed nothing. Try again.'),
  sessionClosed: () => msg('The session is closed (archived); reopen is not possible and nothing in it can change'),
  processingStopped: (p: { error: string }) => msg(str`Processing of the session stopped (${p.error}); resume it from the session page first`),
  processingUnderWay: () => msg('The session is being processed; wait until it has finished'),
  notAnException: (p: { outcome: string }) => msg(str`Only exceptions can be retried; this transaction is ${outcomeWord(p.outcome)}`),
  cannotVoid: (p: { outcome: string }) =>
    msg(str`This transaction is ${outcomeWord(p.outcome)}; only pending, exception and skipped transactions can be voided`),
  deviceClockWrong: (p: { device_time: string }) =>
    msg(str`The device's clock says ${p.device_time}; set its date and time, then upload again (nothing was stored)`),
  sessionTakesNoUploads: (p: { name: string; state: string }) =>
    msg(str`Session “${p.name}” is ${sessionStateWord(p.state)}; it no longer takes uploads. Pick an open session.`),
  sessionAlreadyProcessing: (p: { name: string }) => msg(str`Session “${p.name}” is already being processed`),
  sessionNotOpenToProcess: (p: { name: string; state: string }) =>
    msg(str`Session “${p.name}” is ${sessionStateWord(p.state)}; only an open session can be processed`),
  sessionNotStopped: (p: { name: string; state: string }) =>
    msg(str`Session “${p.name}” is ${sessionStateWord(p.state)}; only a session whose processing stopped can be resumed`),
  sessionProcessingNow: (p: { name: string }) => msg(str`Session “${p.name}” is being processed right now`),
  sessionCannotClose: (p: { name: string; state: string }) =>
    msg(str`Session “${p.name}” is ${sessionStateWord(p.state)}; only a processed session can be closed`),
  sessionCannotReopen: (p: { name: string; state: string }) =>
    msg(str`Session “${p.name}” is ${sessionStateWord(p.state)}; only a processed session can be reopened`),
  notABranch: (p: { branch: string }) => msg(str`'${p.branch}' is a library system; register the workstation at one of its branches`),
  unknownBranch: (p: { branch: string }) => msg(str`There is no branch '${p.branch}'`),
  workstationRetired: (p: { name: string }) => msg(str`Workstation '${p.name}' was retired; register this device under a new name`),
  workstationElsewhere: (p: { name: string }) => msg(str`Workstation '${p.name}' is already registered at another branch`),
  workstationNameTaken: (p: { name: string }) => msg(str`A workstation is already named '${p.name}'`),
  workstationAlreadyRetired: (p: { name: string }) => msg(str`Workstation '${p.name}' is already retired`),
  usernameTaken: (p: { username: string }) => msg(str`The username '${p.username}' is taken`),
  ownAccountDisable: () => msg('You cannot disable your own account'),
  ownRoles: () => msg('You cannot change your own roles'),
  closureExists: (p: { branch: string; first: string; last: string; reason: string }) =>
    msg(str`${p.branch} already has a closure from ${p.first} to ${p.last} (${p.reason}); remove it first to change it`),
  closureReversed: (p: { first: string; last: string }) => msg(str`Invalid body: the closure ends (${p.last}) before it starts (${p.first})`),
  defaultPolicyStays: () => msg('The default policy stays the default: add a policy for the item type or profile instead'),
  defaultPolicyNeeded: () => msg('The default policy cannot be removed: every loan needs a policy. Change it instead'),
} satisfies Record<string, (p: never) => string>;

export type ApiErrorKey = keyof typeof SENTENCES;
export type ApiErrorParams<K extends ApiErrorKey> = Parameters<(typeof SENTENCES)[K]>[0];

/** A refusal's sentence in the current language, or undefined for a key this app does not know (a newer server's). */
export function apiErrorText(key: string | undefined, params: Params | undefined): string | undefined {
  const say = key ? (SENTENCES as unknown as Record<string, (p: Params) => string>)[key] : undefined;
  return say ? say(params ?? {}) : undefined;
}
