/**
 * Preloaded into a child the bench times (`node --import ./bench/report-peak.ts …`): as
 * the child exits, it writes its peak resident memory (getrusage's maxRSS, in kB) to
 * $BENCH_PEAK_FILE — the exact peak, which polling /proc from outside could miss.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PEAK_FILE;
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })));
