/**
 * Entry point of the `cortex-vae` command (bundled to dist/cli.js). The benchmark suite is loaded
 * only for `cortex-vae bench`, so the library never carries it.
 */
import { runCli } from './pipeline/cli/main';
import { runWithoutNativeLog, wantsNativeLogFilter } from './pipeline/cli/quiet-native-log';

// Dawn's Vulkan loader wants a runtime directory; headless servers often have none
process.env.XDG_RUNTIME_DIR ??= '/tmp';

const argv = process.argv.slice(2);
const [command, ...rest] = argv;
const io = {
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
};
const code = wantsNativeLogFilter(argv)
  ? await runWithoutNativeLog(argv)
  : command === 'bench'
    ? await (await import('../bench/main')).benchMain(rest, io)
    : await runCli(argv);
// exit explicitly: a WebGPU instance (ours or the bench peer's) can keep the event loop alive
process.exit(code);
