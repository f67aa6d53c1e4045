/**
 * `--quiet` for Dawn's own log lines too. Dawn's native module writes them ("Warning:
 * maxDynamicUniformBuffersPerPipelineLayout artificially reduced …", a failed Vulkan call's
 * "    at CheckVkSuccessImpl (…/VulkanError.cpp:106)") straight to file descriptor 2 from C++: it
 * offers no toggle or callback for them, and a Node process cannot redirect its own fd 2. So a
 * quiet command that may open Dawn runs in a child process whose stderr passes through this
 * filter; the command's own lines (`cortex-vae: …`) and any JavaScript stack pass unchanged.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';

/** Set in the child, so it runs the command instead of spawning again. */
const CHILD_MARK = 'CORTEX_VAE_NATIVE_LOG_FILTERED';

/** A line Dawn's logger wrote: `Warning: …` / `Info: …`, or a native frame `    at F (file.cpp:N)`. */
export function isDawnLogLine(line: string): boolean {
  return /^(Warning|Info|Debug): /.test(line) || /^\s+at \S.* \(\S+\.(cpp|cc|h|mm):\d+\)$/.test(line);
}

/** Whether this run should go through the filter: quiet, not already filtered, and Dawn may load. */
export function wantsNativeLogFilter(argv: readonly string[]): boolean {
  if (process.env[CHILD_MARK] === '1' || !argv.includes('--quiet')) return false;
  const at = argv.indexOf('--backend');
  return !argv.includes('--backend=cpu') && !(at !== -1 && argv[at + 1] === 'cpu');
}

/** Runs this same command line in a child with Dawn's log lines dropped from its stderr; its exit code. */
export function runWithoutNativeLog(argv: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...argv], {
    stdio: ['inherit', 'inherit', 'pipe'],
    env: { ...process.env, [CHILD_MARK]: '1' },
  });
  let droppedLast = false;
  createInterface({ input: child.stderr }).on('line', (line) => {
    // a blank line that closes a dropped Dawn message goes with it
    const drop = isDawnLogLine(line) || (droppedLast && line === '');
    droppedLast = drop;
    if (!drop) process.stderr.write(`${line}\n`);
  });
  // Ctrl-C reaches the child through the terminal: let it save its resume state and exit by itself
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolve) => {
    // a child ended by a signal exits as a shell reports it: 128 + the signal's number
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}
