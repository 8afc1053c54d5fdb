import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.ts';

const directory = mkdtempSync(join(tmpdir(), 'newsflow-feeds-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('newsflow feeds', () => {
  it('adds, lists and removes feeds, keeping the comments, and refuses an edit that would break the config', async () => {
    const path = join(directory, 'feeds.yaml');
    const original =
      '# my feeds\nfeeds:\n  # the first one\n  - url: https://a.example/rss.xml\n    interval: 10m\ndefaults: { interval: 30m } # slow\n';
    writeFileSync(path, original);
    const env = { NEWSFLOW_CONFIG: path };

    const added = await runCli(['feeds', 'add', 'https://b.example/atom.xml', '--name', 'B News'], env);
    expect(added.code, added.stderr).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('# the first one');
    expect(readFileSync(path, 'utf8')).toContain('# slow');

    const list = await runCli(['feeds', 'list'], env);
    expect(list.stdout.trim().split('\n')).toEqual([
      'https://a.example/rss.xml\ta.example\tevery 10m',
      'https://b.example/atom.xml\tB News\tevery 30m',
    ]);

    const before = readFileSync(path, 'utf8');
    const duplicate = await runCli(['feeds', 'add', 'https://a.example/rss.xml'], env);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('duplicate feed URL https://a.example/rss.xml');
    const invalid = await runCli(['feeds', 'add', 'ftp://c.example/'], env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('expected an http(s) URL');
    expect(readFileSync(path, 'utf8')).toBe(before);

    expect((await runCli(['feeds', 'remove', 'https://b.example/atom.xml'], env)).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(original);
    const missing = await runCli(['feeds', 'remove', 'https://zzz.example/'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no feed with url https://zzz.example/');
  });

  it('imports an OPML file into the config (folders as tags, known feeds skipped) and exports it back', async () => {
    const path = join(directory, 'opml-feeds.yaml');
    writeFileSync(path, '# mine\nfeeds:\n  - url: https://known.example/rss.xml\n');
    const opml = join(directory, 'reader.opml');
    writeFileSync(
      opml,
      '<?xml version="1.0"?><opml version="1.0"><body><outline text="Tech">' +
        '<outline text="Gadgets" type="rss" xmlUrl="https://gadgets.example/feed.xml"/>' +
        '<outline text="Known again" type="rss" xmlUrl="HTTPS://Known.example/rss.xml"/>' +
        '</outline><outline text="Not a URL" type="rss" xmlUrl="ftp://x.example/"/></body></opml>',
    );
    const env = { NEWSFLOW_CONFIG: path };
    const imported = await runCli(['feeds', 'import', opml], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('imported 1 of 3 feeds');
    expect(readFileSync(path, 'utf8')).toContain('# mine');
    const list = await runCli(['feeds', 'list'], env);
    expect(list.stdout).toContain('https://gadgets.example/feed.xml\tGadgets');
    const exported = await runCli(['feeds', 'export'], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('<outline text="Tech" title="Tech">');
    expect(exported.stdout).toContain('xmlUrl="https://gadgets.example/feed.xml" category="/Tech"');
    expect(exported.stdout).toContain('xmlUrl="https://known.example/rss.xml"');
  });
});
