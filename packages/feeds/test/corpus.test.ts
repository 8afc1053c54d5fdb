import { describe, expect, it } from 'vitest';
import { scoreFeedCorpus } from '../../../bench/feeds-corpus.ts';
import { HAVE_CORPORA } from '../../../test/helpers.ts';

describe.runIf(HAVE_CORPORA)('feedparser test corpus (2,087 feeds that are not malformed)', () => {
  it('parses the feeds and meets the identity and date expectations (floors: raise them as parsing improves)', async () => {
    const score = await scoreFeedCorpus();
    // The files we do not parse are CDF (a Microsoft format, not RSS/Atom/JSON Feed) and a few odd namespaces.
    expect(score.parsed / score.feeds).toBeGreaterThanOrEqual(0.985);
    expect(
      score.failures.filter((failure) => !failure.path.includes('/cdf/') && !failure.path.includes('cdf_')).length,
    ).toBeLessThanOrEqual(8);
    expect(score.identityMet / score.identityChecks).toBeGreaterThanOrEqual(0.95);
    expect(score.datesMet).toBeGreaterThanOrEqual(12);
  });
});
