/** Entry point of the `cortex-vae` command (bundled to dist/cli.js). */
import { runCli } from './pipeline/cli/main';

process.exitCode = await runCli(process.argv.slice(2));
