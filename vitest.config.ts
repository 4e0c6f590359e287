import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/test/**/*.test.ts', 'shared/test/**/*.test.ts', 'web/test/**/*.test.ts', 'sw/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each test file in its own process: no module state, env or time zone carries from one file to the next.
    pool: 'forks',
    // One test file per core. Vitest's default is one fewer, which is a single file at a time on a 2-core
    // machine, although the server tests spend much of their time waiting on timers, scrypt in libuv's
    // thread pool and child processes (measured here: 82 s with one worker, 58 s with two).
    maxWorkers: availableParallelism(),
  },
});
