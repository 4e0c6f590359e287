/**
 * How far the server lets V8's old space grow between two full collections.
 * Imported first by server.ts, so it applies however the server is started
 * (npm run serve, a service manager, the bench: all run plain `node
 * dist/server/server.mjs`, and a flag on a command line would only reach
 * some of them).
 *
 * V8 sizes a heap for the machine: with several GB of RAM it lets the old
 * space grow to up to four times what was live after the last full
 * collection before collecting again. Processing a session keeps a slice's
 * working set alive across the scavenges that fall within the slice (about
 * 1 MB promoted per scavenge, measured with --trace-gc-nvp), so over a long
 * run the old space swung between its ~25 MB live and 100–135 MB, and that
 * garbage was most of the server's peak resident memory (246 MB for a
 * million transactions, SPEC §10 asks < 200 MB). Letting it grow by 30 %
 * instead (V8 still adds its minimum step of a few MB) keeps the old space
 * near what is live; the extra full collections are incremental and
 * concurrent, and cost processing little (see README, benchmarks).
 *
 * The flag is read by V8 each time it sets the next collection's limit, so
 * setting it at start-up, before the server allocates much, is enough.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 30;

setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
