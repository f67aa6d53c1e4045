/** Entry point of the `cortex-vae` command (bundled to dist/cli.js). */
import { runCli } from './pipeline/cli/main';

// Dawn's Vulkan loader wants a runtime directory; headless servers often have none
process.env.XDG_RUNTIME_DIR ??= '/tmp';
// exit explicitly: a WebGPU instance (ours or the bench peer's) can keep the event loop alive
process.exit(await runCli(process.argv.slice(2)));
