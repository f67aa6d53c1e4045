/**
 * A run's checkpoints, in OUT/cortex-vae-resume/<fingerprint>/: the observed study and each finished
 * chunk of null work, one file each, written atomically as soon as it is done. A rerun with the same
 * arguments (same fingerprint) loads them instead of recomputing; a run with other settings or data
 * looks in another folder and clears the stale ones. The complete output replaces OUT, and with it
 * these files.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RESUME_FOLDER, writeFileAtomically } from '../report/atomic-dir';
import { decodeLossless, encodeLossless } from '../study/lossless-json';
import type { StudyCheckpoints, StudyResult } from '../study/run-study';
import type { NullJobInfo } from '../study/study-nulls';

const OBSERVED = 'observed.json';

/** "null-<readable id>-<hash of id>-<first>-<last>.json" (1-based, inclusive item numbers). */
function chunkFile(job: NullJobInfo, [start, end]: readonly [number, number]): string {
  const slug = job.id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  const hash = createHash('sha256').update(job.id).digest('hex').slice(0, 8);
  return `null-${slug}-${hash}-${start + 1}-${end}.json`;
}

interface ChunkRecord {
  fingerprint: string;
  job: string;
  range: [number, number];
  values: Float64Array;
}

/**
 * Opens OUT's checkpoints for one study, clearing those of other runs (a run of several maps keeps
 * each of its studies': `runFingerprints`); says on `log` what an earlier run left.
 */
export function resumeStore(
  outDir: string,
  fingerprint: string,
  log: (line: string) => void,
  runFingerprints: readonly string[] = [fingerprint],
): StudyCheckpoints {
  const root = join(outDir, RESUME_FOLDER);
  const dir = join(root, fingerprint.slice(0, 16));
  const keep = new Set(runFingerprints.map((f) => f.slice(0, 16)));
  if (existsSync(root)) {
    for (const entry of readdirSync(root))
      if (!keep.has(entry)) rmSync(join(root, entry), { recursive: true, force: true });
  }
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  if (found.length > 0) {
    const chunks = found.filter((f) => f !== OBSERVED).length;
    log(
      `resuming an interrupted run from ${dir}: ${found.includes(OBSERVED) ? 'the observed study and ' : ''}${chunks} finished null chunk${chunks === 1 ? '' : 's'}`,
    );
  }
  const read = (file: string): unknown => {
    const path = join(dir, file);
    if (!existsSync(path)) return undefined;
    try {
      return decodeLossless(readFileSync(path, 'utf8'));
    } catch {
      return undefined; // unreadable: computed again and overwritten
    }
  };
  const write = (file: string, value: unknown): void => {
    mkdirSync(dir, { recursive: true });
    writeFileAtomically(join(dir, file), encodeLossless(value));
  };
  return {
    loadObserved() {
      const saved = read(OBSERVED) as { fingerprint?: string; study?: StudyResult } | undefined;
      return saved?.fingerprint === fingerprint ? saved.study : undefined;
    },
    saveObserved(study) {
      write(OBSERVED, { fingerprint, study });
    },
    load(job, range) {
      const saved = read(chunkFile(job, range)) as Partial<ChunkRecord> | undefined;
      const fits =
        saved?.fingerprint === fingerprint &&
        saved.job === job.id &&
        saved.range?.[0] === range[0] &&
        saved.range[1] === range[1] &&
        saved.values instanceof Float64Array &&
        saved.values.length === range[1] - range[0];
      return fits ? saved.values : undefined;
    },
    save(job, range, values) {
      const record: ChunkRecord = { fingerprint, job: job.id, range: [range[0], range[1]], values };
      write(chunkFile(job, range), record);
    },
  };
}
