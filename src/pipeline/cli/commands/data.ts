/** `data`: validate and summarise the inputs; `data targets`: the shipped maps; `data fetch`: the unfiltered AHBA matrix. */
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ABAGEN_DK_BASE_URL, ABAGEN_DK_FILE, ABAGEN_DK_SOURCE, fetchAbagenMatrix } from '../../data/abagen-matrix';
import { buildSubjectMap } from '../../data/adni-subjects';
import { readAtlasTable } from '../../data/atlas-table';
import { InputError } from '../../input-error';
import { formatDatasetSummary, listTargets } from '../../data/dataset';
import type { RunConfig } from '../config';
import { datasetFrom, stageProgress, type CommandContext } from '../context';
import { textTable } from '../../report/text-table';

export function dataCommand(config: RunConfig, context: CommandContext): void {
  const dataset = datasetFrom(config.data);
  context.out(
    context.json
      ? JSON.stringify(
          {
            regions: dataset.regions,
            genes: dataset.genes,
            expression: dataset.expression,
            geneSet: dataset.geneSet,
            target: dataset.target,
            dropped: dataset.dropped,
            mirrored: dataset.mirrored,
            constantGenes: dataset.constantGenes,
            edges: dataset.graph.edges.length,
            provenance: dataset.provenance,
          },
          null,
          2,
        )
      : formatDatasetSummary(dataset),
  );
}

export function targetsCommand(context: CommandContext): void {
  const targets = listTargets();
  context.out(
    context.json
      ? JSON.stringify(targets, null, 2)
      : textTable(
          ['name', 'sign', 'description'],
          targets.map((t) => [t.name, t.sign > 0 ? '+1' : '-1', t.description]),
        ),
  );
}

/**
 * `data fetch`: abagen's unfiltered DK matrix (all 15,633 genes) from the Imaging-transcriptomics
 * toolbox at a pinned commit, rewritten in the label layout (`--dest`, default in the current folder).
 */
export async function fetchCommand(
  config: RunConfig,
  options: { dest?: string; url?: string; sha256?: string },
  context: CommandContext,
): Promise<void> {
  const dest = resolve(options.dest ?? ABAGEN_DK_FILE);
  const baseUrl = options.url ?? ABAGEN_DK_BASE_URL;
  const stage = stageProgress(context);
  let progress: ReturnType<typeof stage> | undefined;
  let current = '';
  const result = await fetchAbagenMatrix({
    baseUrl,
    dest,
    sha256: options.sha256,
    atlas: readAtlasTable(config.data.dataDir),
    onProgress: (file, bytes, total) => {
      if (file !== current) {
        progress?.done();
        current = file;
        progress = stage(`downloading ${baseUrl}/${file}`);
      }
      progress!.update(bytes, total ?? bytes);
    },
  });
  progress?.done();
  const data = result.downloads.find((d) => d.url.endsWith(ABAGEN_DK_SOURCE.dataFile))!;
  context.out(
    context.json
      ? JSON.stringify(result, null, 2)
      : result.downloads
          .map(
            (d) =>
              `${d.url}: ${d.bytes} bytes, sha256 ${d.sha256}${d.resumedFrom > 0 ? `, resumed from byte ${d.resumedFrom}` : ''}`,
          )
          .join('\n') +
          '\n' +
          `gene list: matches the pinned sha256 ${ABAGEN_DK_SOURCE.labelsSha256}; matrix: ${data.verified ? 'sha256 verified' : `not verified (pass --sha256 ${data.sha256} to check later downloads)`}\n` +
          `${result.path}: ${result.regions} cortical regions × ${result.genes} genes` +
          `${result.numericNames > 0 ? ` (${result.numericNames} columns left out: the gene list names them by numbers, spreadsheet dates that replaced their symbols)` : ''}` +
          `\nuse it with --expression ${result.path}`,
  );
}

export interface AdniMapOptions {
  freesurfer?: string;
  diagnosis?: string;
  wscore?: boolean;
  qc?: string;
  dest?: string;
}

/**
 * `data adni-map`: a regional AD-vs-CN effect map from subject-level ADNI tables, written as a CSV
 * (region, cohens_d, hedges_g; positive = thinner in AD) usable as `--target file:<csv>:cohens_d --target-sign 1`.
 */
export function adniMapCommand(config: RunConfig, options: AdniMapOptions, context: CommandContext): void {
  if (!options.freesurfer || !options.diagnosis) {
    throw new InputError(
      'data adni-map needs --freesurfer FILE (UCSFFSX/UCSFFSX51 table) and --diagnosis FILE (RID, DX_bl, AGE, PTGENDER)',
    );
  }
  let qc: { column: string; pass: string } | undefined;
  if (options.qc !== undefined) {
    const [column, pass] = options.qc.split('=');
    if (!column || pass === undefined)
      throw new InputError(`--qc ${JSON.stringify(options.qc)} must be COLUMN=VALUE, e.g. OVERALLQC=Pass`);
    qc = { column, pass };
  }
  const map = buildSubjectMap(
    {
      freesurferFile: options.freesurfer,
      diagnosisFile: options.diagnosis,
      qc,
      mode: options.wscore ? 'wscore' : 'raw',
    },
    readAtlasTable(config.data.dataDir),
  );
  const dest = resolve(options.dest ?? 'adni_ad_vs_cn_thickness_d.csv');
  const rows = map.regions.map((region, r) => `${region},${map.cohensD[r]},${map.hedgesG[r]}`);
  const temporary = `${dest}.tmp`;
  writeFileSync(temporary, ['region,cohens_d,hedges_g', ...rows].join('\n') + '\n');
  renameSync(temporary, dest);
  context.out(
    context.json
      ? JSON.stringify(
          { file: dest, nCn: map.nCn, nAd: map.nAd, excluded: map.excluded, mode: options.wscore ? 'wscore' : 'raw' },
          null,
          2,
        )
      : `${dest}: Cohen's d and Hedges' g (CN − AD) for ${map.regions.length} regions from ${map.nCn} CN and ${map.nAd} AD baseline subjects` +
          `${
            Object.keys(map.excluded).length
              ? `; left out: ${Object.entries(map.excluded)
                  .map(([why, n]) => `${n} ${why}`)
                  .join(', ')}`
              : ''
          }\n` +
          `use it with --target file:${dest}:cohens_d --target-sign 1`,
  );
}
