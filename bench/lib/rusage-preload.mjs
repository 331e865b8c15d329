// Fallback CPU-time probe, used only when GNU /usr/bin/time is not available: loaded with
// `node --import`, it writes this process's own resourceUsage() (getrusage RUSAGE_SELF, all
// threads) to $NAFTIKO_BENCH_RUSAGE_FILE when the process exits.
import { writeFileSync } from 'node:fs';

const file = process.env.NAFTIKO_BENCH_RUSAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userS: u.userCPUTime / 1e6, sysS: u.systemCPUTime / 1e6, maxRssKb: u.maxRSS }));
  });
}
