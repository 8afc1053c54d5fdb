/**
 * `pnpm bench feeds`: the feedparser test corpus through `parseFeed` (files parsed, identity and date expectations
 * met, items per second) and a 100,000-item feed parsed off the main thread (time, the longest the event loop was
 * blocked, peak memory).
 */
import { parseFeed } from '@newsflow/feeds';
import { withPeakRss } from './corpus.ts';
import { scoreFeedCorpus } from './feeds-corpus.ts';

export async function benchFeeds(): Promise<void> {
  const { result: score, peakRssMiB: corpusRss } = await withPeakRss(scoreFeedCorpus);
  const notCdf = score.failures.filter((failure) => !/\/cdf\/|cdf_/.test(failure.path));
  console.log(`feeds: feedparser corpus, ${score.feeds} files that feedparser reads without error`);
  console.log(
    `  parsed ${score.parsed} (${((score.parsed / score.feeds) * 100).toFixed(1)}%; of the ${score.failures.length} refused, ` +
      `${score.failures.length - notCdf.length} are CDF, not RSS/Atom/JSON Feed)`,
  );
  console.log(
    `  identity expectations (title, link, id, author) met: ${score.identityMet} of ${score.identityChecks} (${((score.identityMet / score.identityChecks) * 100).toFixed(1)}%)`,
  );
  console.log(
    `  entry summary expectations met (feedparser's sanitized HTML as text): ${score.summariesMet} of ${score.summaryChecks} (${((score.summariesMet / score.summaryChecks) * 100).toFixed(1)}%)`,
  );
  console.log(`  entry date expectations met: ${score.datesMet} of ${score.dateChecks}`);
  console.log(
    `  ${((score.items / score.parseMs) * 1000).toFixed(0)} items/s, ${((score.parsed / score.parseMs) * 1000).toFixed(0)} files/s, peak RSS ${corpusRss} MiB`,
  );

  const items = Array.from(
    { length: 100_000 },
    (_, i) =>
      `<item><title>Item ${i}</title><link>https://big.example/${i}</link><guid>id-${i}</guid><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate><description>Text of item ${i}</description></item>`,
  ).join('');
  const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link>${items}</channel></rss>`;
  let longestGapMs = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  const { result: feed, peakRssMiB } = await withPeakRss(() => parseFeed(xml));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(ticker);
  console.log(
    `  100,000-item feed (${(xml.length / 1e6).toFixed(1)} MB): ${feed.items.length} items in ${seconds.toFixed(1)} s off the main thread, ` +
      `event loop blocked at most ${longestGapMs.toFixed(0)} ms, peak RSS ${peakRssMiB} MiB`,
  );
}
