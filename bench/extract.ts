/**
 * `pnpm bench extract`: extraction quality and speed on the 181 annotated news pages of the ASB corpus, scored by
 * the shared scorer (token 4-gram shingles, as the benchmark's evaluate.py). Prints F1, precision, recall, pages per
 * second on one core (wall and CPU), peak memory and the ten worst pages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBytes } from '@newsflow/fetch';
import { extractArticle } from '@newsflow/extract';
import { CORPORA_DIR, loadAsbPages, withPeakRss } from './corpus.ts';

export async function benchExtract(): Promise<void> {
  const pages = loadAsbPages();
  const predictions: Record<string, string> = {};
  const { result: timing, peakRssMiB } = await withPeakRss(async () => {
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    for (const page of pages) predictions[page.id] = extractArticle(decodeBytes(page.html).text, page.url).text;
    const cpu = process.cpuUsage(cpuStart);
    return { wallMs: performance.now() - wallStart, cpuMs: (cpu.user + cpu.system) / 1000 };
  });

  const directory = mkdtempSync(join(tmpdir(), 'newsflow-extract-'));
  try {
    const predictionsPath = join(directory, 'predictions.json');
    writeFileSync(predictionsPath, JSON.stringify(predictions));
    const scorer = join(CORPORA_DIR, 'extraction/score.mjs');
    const truth = join(CORPORA_DIR, 'extraction/asb');
    const scores = JSON.parse(
      execFileSync(process.execPath, [scorer, truth, predictionsPath, '--json', '--bootstrap', '0'], {
        encoding: 'utf8',
      }),
    ) as {
      f1: number;
      precision: number;
      recall: number;
      empty_predictions: number;
    };
    const worst = execFileSync(
      process.execPath,
      [scorer, truth, predictionsPath, '--bootstrap', '0', '--worst', '10'],
      { encoding: 'utf8' },
    );
    const kib = pages.reduce((sum, page) => sum + page.html.length, 0) / pages.length / 1024;
    console.log(`extract: ${pages.length} ASB pages (mean ${kib.toFixed(0)} KiB), shared scorer`);
    console.log(
      `  F1 ${scores.f1.toFixed(3)}  precision ${scores.precision.toFixed(3)}  recall ${scores.recall.toFixed(3)}  empty ${scores.empty_predictions}`,
    );
    console.log(
      `  ${((pages.length / timing.wallMs) * 1000).toFixed(1)} pages/s wall, ${((pages.length / timing.cpuMs) * 1000).toFixed(1)} pages per CPU-second, ` +
        `${(timing.wallMs / pages.length).toFixed(1)} ms/page, peak RSS ${peakRssMiB} MiB`,
    );
    console.log(worst.slice(worst.indexOf('worst')).trimEnd().replace(/^/gm, '  '));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
