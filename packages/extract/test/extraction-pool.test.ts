import { afterAll, describe, expect, it } from 'vitest';
import { cleanText, PermanentError } from '@newsflow/core';
import { fingerprintArticle, MemoryDedupIndex } from '@newsflow/dedup';
import { createExtractionPool, extractArticle } from '../src/index.ts';
import { prestartExtractionPool, prestartedThreadsLoaded } from '../src/extraction-pool.ts';

const page = (n: number, paragraphs = 6) =>
  `<!DOCTYPE html><html lang="en"><head><title>Story ${n} | Daily</title></head><body><nav><a href="/">Home</a></nav>` +
  `<article><h1>Story ${n}</h1>${Array.from(
    { length: paragraphs },
    (_, i) => `<p>Paragraph ${i} of story ${n}: the council met on Tuesday and voted on the budget for next year.</p>`,
  ).join('')}</article><footer>© Daily</footer></body></html>`;

describe('extraction pool', () => {
  const pool = createExtractionPool({ threads: 2 });
  afterAll(() => pool.close());

  it('extracts in worker threads exactly what extractArticle extracts in process', async () => {
    const pages = Array.from({ length: 12 }, (_, n) => page(n));
    const fromPool = await Promise.all(pages.map((html, n) => pool.extract(html, `https://daily.example/${n}`)));
    expect(pool.threads).toBe(2);
    expect(fromPool).toEqual(pages.map((html, n) => extractArticle(html, `https://daily.example/${n}`)));
    expect(fromPool[3]!.paragraphs).toHaveLength(6);
  });

  it("computes in the thread the fingerprints the deduper's index computes from the stored (cleaned) text", async () => {
    const index = new MemoryDedupIndex({ paragraphThreshold: 0.42, articleThreshold: 0.5, minWords: 8 });
    // A NUL, which the stored article loses, inside a word of the second paragraph.
    const html = page(4).replace('council met', 'coun\u0000cil met');
    const { article, fingerprints } = await pool.extractAndFingerprint(
      html,
      'https://daily.example/4',
      undefined,
      index.fingerprintSettings,
    );
    expect(article).toEqual(extractArticle(html, 'https://daily.example/4'));
    const stored = article.paragraphs.map((paragraph) => cleanText(paragraph.text));
    expect(stored[0]).toContain('council met');
    expect(fingerprints).toEqual(fingerprintArticle(stored, index.fingerprintSettings));
    expect(fingerprints.paragraphs.map((fingerprint) => fingerprint.kind)).toEqual(Array(6).fill('minhash'));
  });

  it('passes a feed rule to the thread', async () => {
    const html = page(1).replace('<p>Paragraph 0', '<p class="teaser">Paragraph 0');
    const article = await pool.extract(html, 'https://daily.example/1', { exclude: ['.teaser'] });
    expect(article.paragraphs.map((paragraph) => paragraph.text)).not.toContainEqual(
      expect.stringContaining('Paragraph 0'),
    );
    expect(article.paragraphs).toHaveLength(5);
  });

  it("keeps a page's permanent error and its code across the thread boundary", async () => {
    const rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>';
    const error = await pool.extract(rss, 'https://daily.example/feed').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: 'not_html', message: 'not an HTML page: an RSS feed' });
  });

  it('fails a page that takes too long for good, and replaces its thread', async () => {
    const impatient = createExtractionPool({ threads: 1, timeoutMs: 1 });
    try {
      const error = await impatient
        .extract(page(1, 20_000), 'https://daily.example/long')
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ code: 'extract_timeout' });
    } finally {
      await impatient.close();
    }
    // The default deadline is generous: the same pool size extracts the same page.
    const patient = createExtractionPool({ threads: 1 });
    try {
      expect((await patient.extract(page(1, 2_000), 'https://daily.example/long')).paragraphs.length).toBeGreaterThan(
        100,
      );
    } finally {
      await patient.close();
    }
  });

  it('fails a page that needs more memory than a thread may have for good, and goes on with a new thread', async () => {
    // Well under what the 70,000-paragraph page needs, well over what a thread needs to start (it loads the
    // extractor only, not all of core).
    const small = createExtractionPool({ threads: 1, maxMemoryMb: 32 });
    try {
      const error = await small
        .extract(page(1, 70_000), 'https://daily.example/huge')
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ code: 'extract_memory' });
      expect((await small.extract(page(2), 'https://daily.example/2')).paragraphs).toHaveLength(6);
    } finally {
      await small.close();
    }
  });

  it('extracts on the event loop when asked for no threads', async () => {
    const inline = createExtractionPool({ threads: 0 });
    expect(await inline.extract(page(2), 'https://daily.example/2')).toEqual(
      extractArticle(page(2), 'https://daily.example/2'),
    );
    await inline.close();
  });
});

describe('an extraction pool started early', () => {
  it('is the pool the next caller with the default settings gets, and one with other settings gets its own', async () => {
    const early = prestartExtractionPool();
    expect(prestartExtractionPool()).toBe(early);
    await prestartedThreadsLoaded();
    const taken = createExtractionPool();
    expect(taken).toBe(early);
    expect((await taken.extract(page(1), 'https://daily.example/1')).title).toBe('Story 1');

    const second = prestartExtractionPool();
    expect(second).not.toBe(early);
    const own = createExtractionPool({ threads: second.threads + 1 });
    expect(own).not.toBe(second);
    expect(own.threads).toBe(second.threads + 1);
    expect((await own.extract(page(2), 'https://daily.example/2')).title).toBe('Story 2');
    // Nothing left waiting: the next caller starts a pool of its own.
    const third = createExtractionPool();
    expect(third).not.toBe(second);
    await Promise.all([taken.close(), own.close(), third.close()]);
  });
});
