/**
 * Mutated corpus files through `newsflow parse-feed` and `newsflow extract`: whatever the bytes, each input gets
 * one JSON line (its result or its error), the command neither crashes nor hangs.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPORA_DIR, runCli } from '../helpers.ts';
import { random, readCorpusFile } from './harness.ts';

const MUTANTS_PER_COMMAND = 600;
const FILES_PER_RUN = 100;

function filesUnder(directory: string, pattern: RegExp): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .map((name) => join(directory, name))
    .filter((path) => pattern.test(path) && statSync(path).isFile())
    .sort();
}

/** Byte-level and markup-level damage of the kinds real feeds and pages show, and some they rarely do. */
function mutate(input: Buffer, rng: () => number): Buffer {
  const pick = (n: number) => Math.floor(rng() * n);
  const bytes = Buffer.from(input);
  switch (pick(9)) {
    case 0: // random bytes flipped
      for (let i = 0; i < 1 + pick(64); i++) bytes[pick(bytes.length)] = pick(256);
      return bytes;
    case 1: // truncated anywhere
      return bytes.subarray(0, pick(bytes.length));
    case 2: // a slice repeated many times
      return Buffer.concat([
        bytes,
        ...Array.from({ length: 50 }, () => bytes.subarray(pick(bytes.length), pick(bytes.length))),
      ]);
    case 3: // invalid UTF-8 sequences sprinkled in
      return Buffer.concat(
        Array.from({ length: 20 }, (_, i) => [
          bytes.subarray((i * bytes.length) / 20, ((i + 1) * bytes.length) / 20),
          Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
        ]).flat(),
      );
    case 4: // deep nesting injected
      return Buffer.concat([
        bytes.subarray(0, bytes.length / 2),
        Buffer.from('<div><item><entry>'.repeat(5000 + pick(20_000))),
        bytes.subarray(bytes.length / 2),
      ]);
    case 5: // entity expansion and external entities
      return Buffer.concat([
        Buffer.from(
          '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        ),
        Buffer.from(bytes.toString('latin1').replace(/<title>/i, '<title>&d;&xxe;'), 'latin1'),
      ]);
    case 6: // NUL bytes and control characters
      for (let i = 0; i < 1 + pick(200); i++) bytes[pick(bytes.length)] = pick(32);
      return bytes;
    case 7: // tags cut in half
      return Buffer.from(
        bytes.toString('latin1').replace(/>/g, (match) => (rng() < 0.05 ? '' : match)),
        'latin1',
      );
    default: // two files spliced
      return Buffer.concat([
        bytes.subarray(0, pick(bytes.length)),
        Buffer.from('</rss></feed>]]><![CDATA['),
        bytes.subarray(pick(bytes.length)),
      ]);
  }
}

const directory = mkdtempSync(join(tmpdir(), 'newsflow-fuzz-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function fuzz(command: 'parse-feed' | 'extract', sources: string[], seed: number) {
  const rng = random(seed);
  const inputs = Array.from({ length: MUTANTS_PER_COMMAND }, (_, i) => {
    const path = join(directory, `${command}-${i}`);
    writeFileSync(path, mutate(readCorpusFile(sources[Math.floor(rng() * sources.length)]!), rng));
    return path;
  });
  for (let start = 0; start < inputs.length; start += FILES_PER_RUN) {
    const batch = inputs.slice(start, start + FILES_PER_RUN);
    // The hang guard (2 s a file) fails the test if a run never finishes; it is not a timing assertion.
    const run = await runCli([command, ...batch], { NEWSFLOW_CONFIG: '/nonexistent.yaml' }, FILES_PER_RUN * 2000);
    expect([0, 1], run.stderr).toContain(run.code);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { file: string; error?: string });
    expect(lines.map((line) => line.file)).toEqual(batch);
  }
}

describe('fuzzing the offline commands with mutated corpus files', () => {
  it(`parse-feed answers each of ${MUTANTS_PER_COMMAND} mutated feeds with one line`, async () => {
    const feeds = filesUnder(join(CORPORA_DIR, 'feeds'), /\.(xml|rss|atom|rdf|json)$/i);
    expect(feeds.length).toBeGreaterThan(100);
    await fuzz('parse-feed', feeds, 1);
  }, 600_000);

  it(`extract answers each of ${MUTANTS_PER_COMMAND} mutated pages with one line`, async () => {
    const pages = filesUnder(join(CORPORA_DIR, 'extraction/asb/html_gz'), /\.html\.gz$/);
    expect(pages.length).toBeGreaterThan(100);
    await fuzz('extract', pages, 2);
  }, 600_000);
});
