/**
 * `bench --profile`: where a training epoch's time goes, per kernel, at a bench training shape and
 * batch size (src/model/profile-training.ts), written beside the bench results as JSON and HTML;
 * the full bench run profiles a few standard configurations into its own results.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Engine } from '../src/engine/engine';
import { requestGpuBackend } from '../src/engine/webgpu';
import { profileTraining, type TrainingProfile } from '../src/model/profile-training';
import { barChartSvg, htmlTable, type TableColumn } from '../src/pipeline/report/charts';
import { escapeXml, formatNumber } from '../src/pipeline/report/format';
import { REPORT_CSS } from '../src/pipeline/report/style';
import type { TrainData } from './train-data';
import type { ProfileResult } from './types';

export interface ProfileCase {
  data: TrainData;
  batch: number;
  epochs: number;
  warmupEpochs: number;
}

/** Profiles each case on a fresh webgpu backend; a case that fails becomes its reason. */
export async function runProfiles(
  cases: readonly ProfileCase[],
  log: (line: string) => void,
): Promise<ProfileResult[]> {
  const results: ProfileResult[] = [];
  for (const c of cases) {
    const { regions, genes, name, edges } = c.data.shape;
    log(`profile ${name} ${regions}×${genes}, B=${c.batch}, ${c.warmupEpochs} + ${c.epochs} epochs`);
    const request = await requestGpuBackend();
    if (!('backend' in request)) {
      results.push({ reason: request.reason, shape: `${name} ${regions}×${genes}`, batch: c.batch });
      continue;
    }
    try {
      results.push(
        await profileTraining({
          engine: new Engine(request.backend),
          X: c.data.x,
          regions,
          genes,
          laplacian: c.data.laplacian,
          edgeCount: edges,
          tasks: Array.from({ length: c.batch }, (_, b) => ({
            y: c.data.y,
            trainMask: new Uint8Array(regions).fill(1),
            seed: b + 1,
          })),
          epochs: c.epochs,
          warmupEpochs: c.warmupEpochs,
        }),
      );
    } catch (error) {
      results.push({ reason: (error as Error).message, shape: `${name} ${regions}×${genes}`, batch: c.batch });
    } finally {
      request.backend.destroy();
    }
  }
  return results;
}

const num = (v: number | null): string => (v === null ? '–' : formatNumber(v));

/** One profile as a bar chart of device ms per kernel and a table of its kernel shapes. */
export function profileFigure(profile: TrainingProfile): string {
  const { shape, perEpoch } = profile;
  const title = `${shape.regions}×${shape.genes}, B = ${shape.batch}: device time per epoch by kernel`;
  const subtitle = `wall ${num(perEpoch.wallMs)} ms (host ${num(perEpoch.hostMs)} ms); device ${num(perEpoch.deviceMs)} ms in ${perEpoch.dispatches.toFixed(0)} dispatches; clock: ${profile.clock}`;
  const bars = profile.kernels.map((k) => ({
    label: k.kernel,
    value: k.deviceMsPerEpoch,
    note: `${(100 * k.share).toFixed(1)}%, ${k.dispatchesPerEpoch.toFixed(1)} dispatches${k.gflops === null ? '' : `, ${num(k.gflops)} GFLOP/s`}, ${num(k.gbps)} GB/s`,
  }));
  const chart = `<div class="figure-wide" style="max-width:760px">${barChartSvg({ title, subtitle, basis: 'observed data', bars, xLabel: 'device ms per epoch' })}</div>`;
  const columns: TableColumn[] = [
    'kernel at shape',
    'dispatches/epoch',
    'device ms/epoch',
    'share',
    'GFLOP/s',
    'GB/s',
  ].map((header, i) => ({ header, numeric: i > 0 }));
  const table = htmlTable(
    columns,
    profile.shapes.map((r) => [
      `${r.kernel} ${r.detail}`,
      num(r.dispatchesPerEpoch),
      num(r.deviceMsPerEpoch),
      `${(100 * r.share).toFixed(1)}%`,
      num(r.gflops),
      num(r.gbps),
    ]),
  );
  return chart + `<details><summary>Kernel shapes</summary>${table}</details>`;
}

/** The profiles section of a bench page: a figure per profile, or the reason it is missing. */
export function profilesHtml(profiles: readonly ProfileResult[]): string {
  const intro =
    '<p class="caption">Each profile trains B models twice: unprofiled (wall and host time per epoch, losses read every epoch) and with every dispatch timed on the device. Host time is the JavaScript that records an epoch: tape, encoding, submit.</p>';
  return (
    intro +
    profiles
      .map((p) => ('reason' in p ? `<p>${escapeXml(`${p.shape}, B = ${p.batch}: ${p.reason}`)}</p>` : profileFigure(p)))
      .join('')
  );
}

/** profile-latest.json and profile-latest.html in `dir`, each written to a temp file and renamed. */
export function writeProfile(profile: TrainingProfile, dir: string): string[] {
  const folder = resolve(dir);
  mkdirSync(folder, { recursive: true });
  const page =
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>cortex-vae training profile</title>' +
    `<style>${REPORT_CSS}</style></head><body><main><header><h1>Training profile</h1><p class="meta">${escapeXml(profile.adapter)}</p></header>` +
    `<section id="profile">${profilesHtml([profile])}</section></main></body></html>\n`;
  const files: [string, string][] = [
    [join(folder, 'profile-latest.json'), `${JSON.stringify(profile, null, 2)}\n`],
    [join(folder, 'profile-latest.html'), page],
  ];
  for (const [file, text] of files) {
    writeFileSync(`${file}.tmp-${process.pid}`, text);
    renameSync(`${file}.tmp-${process.pid}`, file);
  }
  return files.map(([file]) => file);
}
