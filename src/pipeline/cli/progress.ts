/**
 * Progress on stderr for long work: a counter with rate and ETA, redrawn in place on a TTY,
 * a line every 30 s otherwise (a batch job's log); silent with --quiet.
 */
export interface Progress {
  update(done: number, total: number, detail?: string): void;
  done(message?: string): void;
}

export function createProgress(label: string, opts: { quiet: boolean; stream?: NodeJS.WriteStream }): Progress {
  const stream = opts.stream ?? process.stderr;
  const start = Date.now();
  let lastDraw = 0;
  const interactive = Boolean(stream.isTTY);
  const minInterval = interactive ? 100 : 30_000;
  return {
    update(done, total, detail) {
      if (opts.quiet) return;
      const now = Date.now();
      if (now - lastDraw < minInterval && done < total) return;
      lastDraw = now;
      const elapsed = (now - start) / 1000;
      const eta = done > 0 ? (elapsed * (total - done)) / done : NaN;
      const pct = total > 0 ? ((100 * done) / total).toFixed(0) : '?';
      const line =
        `${label}: ${done}/${total} (${pct}%) ${formatSeconds(elapsed)} elapsed` +
        (done > 0 && done < total ? `, ETA ${formatSeconds(eta)}` : '') +
        (detail ? ` — ${detail}` : '');
      stream.write(interactive ? `\r\x1b[K${line}` : `${line}\n`);
    },
    done(message) {
      if (opts.quiet) return;
      const line = `${label}: ${message ?? 'done'} in ${formatSeconds((Date.now() - start) / 1000)}`;
      stream.write(interactive ? `\r\x1b[K${line}\n` : `${line}\n`);
    },
  };
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - 60 * m)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
