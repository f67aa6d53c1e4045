/**
 * `merge DIR…`: the shards written by `evaluate … --shard k/n` (k = 1 … n) combined into the report
 * folder one unsharded run writes: the same results.json, CSVs, config.json and model.ckpt, bit for
 * bit, except the run record (command, times; wallSeconds is the shards' total). Shard 1 brings the
 * observed study, dataset and outlines, so merge needs neither the data files nor an engine.
 */
import { checkOutputFolder } from '../../report/atomic-dir';
import type { StudyResult } from '../../study/run-study';
import type { CommandContext } from '../context';
import { checkShardSet, findShardFolders, mergedStudy, readObserved, readShardFolder } from '../shard-folder';
import { version } from '../version';
import { writeStudyOutputs, type StudyRunInfo } from './evaluate';

export function mergeCommand(paths: readonly string[], outDir: string, context: CommandContext): StudyResult {
  const started = Date.now();
  checkOutputFolder(outDir, 'report.html');
  const shards = checkShardSet(findShardFolders(paths).map(readShardFolder));
  const first = shards[0]!.record;
  const observed = readObserved(shards[0]!);
  const study = mergedStudy(shards, observed.study);
  const adapters = [...new Set(shards.map((s) => s.record.run.adapter))];
  if (adapters.length > 1) context.log(`note: the shards ran on ${adapters.length} adapters (${adapters.join('; ')})`);
  const run: StudyRunInfo = {
    command: context.commandLine,
    config: first.config,
    seed: first.config.seed,
    backend: first.run.backend,
    adapter: adapters.join('; '),
    startedAt: shards.map((s) => s.record.run.startedAt).sort()[0]!,
    finishedAt: new Date().toISOString(),
    wallSeconds: shards.reduce((s, shard) => s + shard.record.run.wallSeconds, 0) + (Date.now() - started) / 1000,
    version,
  };
  context.log(`merged ${shards.length} shard${shards.length > 1 ? 's' : ''} of \`${first.run.command}\``);
  writeStudyOutputs(
    outDir,
    study,
    observed.dataset,
    observed.outlines,
    run,
    context,
    first.identity.settings.command === 'reproduce',
  );
  return study;
}
