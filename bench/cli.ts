/** `npm run bench` (bundled to dist/bench.js). */
import { benchMain } from './main';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
// exit explicitly: Dawn's instance would otherwise keep the event loop alive
process.exit(
  await benchMain(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }),
);
