// Preloaded into benchmarked child processes (node --import): reports the peak resident set
// size on exit, on stderr, for bench/child.ts to pick up.
process.on('exit', () => {
  process.stderr.write(`\n@@peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
