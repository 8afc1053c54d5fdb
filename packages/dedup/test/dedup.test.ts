import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@newsflow/core';
import {
  createFingerprintPool,
  MemoryDedupIndex,
  RedisDedupIndex,
  type DedupIndex,
  type DedupSettings,
} from '../src/index.ts';
import { CORPORA_DIR, HAVE_CORPORA, TEST_REDIS_URL, uniquePrefix } from '../../../test/helpers.ts';

const SETTINGS: DedupSettings = {
  paragraphThreshold: 0.45,
  articleThreshold: 0.8,
  minWords: 8,
  retentionMs: 30 * 86_400_000,
};
const SEED = readFileSync(new URL('../../../services/cli/demo/seed-article.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !/^\[ad_\d\]$/.test(line));
const PROTEST_FIRST = SEED.findIndex((line) => line.startsWith('In Belarus, mass protests'));
const PROTEST_SECOND = SEED.findLastIndex((line) => line.startsWith('In Belarus, mass protests'));

let redis: Redis;
const prefixes: string[] = [];
const fingerprintThreads = createFingerprintPool({ threads: 2 });
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
  await fingerprintThreads.close();
});

function redisIndex(connection: Redis = redis, prefix = uniquePrefix('dedup')): RedisDedupIndex {
  prefixes.push(prefix);
  return new RedisDedupIndex(connection, prefix, SETTINGS);
}

describe.each([
  ['in memory', () => new MemoryDedupIndex(SETTINGS) as DedupIndex],
  ['in Redis', () => redisIndex() as DedupIndex],
  [
    'in Redis, fingerprinted in worker threads',
    () => {
      const prefix = uniquePrefix('dedup-threads');
      prefixes.push(prefix);
      return new RedisDedupIndex(redis, prefix, SETTINGS, (paragraphs, settings) =>
        fingerprintThreads.fingerprint(paragraphs, settings),
      ) as DedupIndex;
    },
  ],
])('dedup index %s', (_, createIndex) => {
  it("flags the seed article's repeated protest paragraph as a duplicate of the first one", async () => {
    expect(PROTEST_FIRST).toBeGreaterThanOrEqual(0);
    expect(PROTEST_SECOND).toBeGreaterThan(PROTEST_FIRST);
    const result = await createIndex().addArticle('https://seed.example/a', SEED);
    const flagged = result.paragraphs.flatMap((match, index) => (match ? [{ index, match }] : []));
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.index).toBe(PROTEST_SECOND);
    expect(flagged[0]!.match).toMatchObject({ url: 'https://seed.example/a', index: PROTEST_FIRST });
    expect(flagged[0]!.match.similarity).toBeGreaterThan(0.45);
    expect(flagged[0]!.match.similarity).toBeLessThan(1);
    expect(result.duplicateOf).toBeNull();
  });

  it('points a reworded paragraph of a later article at the first-seen original', async () => {
    const index = createIndex();
    await index.addArticle('https://a.example/1', SEED);
    // The follow-up story of the demo site: exact shingle similarity 0.60 to the seed's first protest paragraph.
    const reworded =
      'In Belarus, mass protests have continued for more than six months against the results of the August 9 presidential election, which was won by authoritarian President Alexander Lukashenko, who has led the country since 1994. The opposition and Western democracies consider the vote rigged.';
    const result = await index.addArticle('https://b.example/2', [
      'An unrelated opening paragraph about the weather in Vilnius this weekend and the week ahead.',
      reworded,
    ]);
    expect(result.paragraphs[0]).toBeNull();
    expect(result.paragraphs[1]).toMatchObject({ url: 'https://a.example/1', index: PROTEST_FIRST });
    expect(result.duplicateOf).toBeNull();
  });

  it('finds reworded Chinese and Japanese paragraphs, written without spaces, and not a paragraph on the same topic', async () => {
    const index = createIndex();
    await index.addArticle('https://cn.example/1', [
      '国家统计局今天发布数据显示，今年前三季度国内生产总值同比增长百分之五点二，经济运行总体回升向好，高质量发展扎实推进。',
      '政府は十八日、新たな経済対策の骨子を発表した。物価高に対応するため、所得税の定額減税や低所得世帯への給付を盛り込んだ。',
    ]);
    const result = await index.addArticle('https://cn.example/2', [
      '国家统计局周三公布的数据显示，今年前三季度国内生产总值同比增长百分之五点二，经济运行总体回升向好，高质量发展稳步推进。',
      '政府は十八日、新しい経済対策の骨子を公表した。物価高に対応するため、所得税の定額減税や低所得世帯への給付を盛り込んでいる。',
      '国家统计局今天还发布了十月份的居民消费价格指数，同比上涨百分之零点二，环比持平，食品价格有所回落。',
    ]);
    expect(result.paragraphs[0]).toMatchObject({ url: 'https://cn.example/1', index: 0 });
    expect(result.paragraphs[1]).toMatchObject({ url: 'https://cn.example/1', index: 1 });
    expect(result.paragraphs[2]).toBeNull();
  });

  it('marks a whole republication and does not flag unrelated stories', async () => {
    const index = createIndex();
    await index.addArticle('https://a.example/1', SEED);
    const republished = await index.addArticle('https://partner.example/copy', [
      ...SEED,
      'This story first appeared on a.example.',
    ]);
    expect(republished.duplicateOf).toMatchObject({ url: 'https://a.example/1' });
    expect(republished.duplicateOf!.similarity).toBeGreaterThanOrEqual(0.8);
    const unrelated = await index.addArticle('https://c.example/3', [
      'The central bank kept interest rates unchanged on Thursday, citing persistent inflation in services and a tight labour market.',
      'Economists had expected the decision, although two members of the committee voted for a cut of a quarter point.',
    ]);
    expect(unrelated).toEqual({ paragraphs: [null, null], duplicateOf: null });
  });

  it('matches short paragraphs only when they repeat exactly (after normalization)', async () => {
    const index = createIndex();
    const first = await index.addArticle('https://a.example/short', [
      'Lukashenko arrived in Russia on Friday.',
      'Read more',
    ]);
    expect(first.paragraphs).toEqual([null, null]);
    const second = await index.addArticle('https://b.example/short', [
      'LUKASHENKO arrived in Russia on “Friday”',
      'Lukashenko arrived in Moscow on Friday.',
    ]);
    expect(second.paragraphs[0]).toEqual({ url: 'https://a.example/short', index: 0, similarity: 1 });
    expect(second.paragraphs[1]).toBeNull();
  });

  it('returns the first result again when the same URL is added twice (a retried job)', async () => {
    const index = createIndex();
    const first = await index.addArticle('https://a.example/1', SEED);
    const again = await index.addArticle('https://a.example/1', SEED);
    expect(again).toEqual(first);
  });
});

describe('RedisDedupIndex', () => {
  it('gives an article added again after its cached result expired the same answer, never pointing at itself', async () => {
    const prefix = uniquePrefix('again');
    const index = redisIndex(redis, prefix);
    const articles = realArticles(12);
    // The seed twice in the stream: its in-article repeat and a republication both stay visible.
    articles.push(['https://seed.example/1', SEED], ['https://seed.example/copy', SEED]);
    const first = [];
    for (const [url, paragraphs] of articles) first.push(await index.addArticle(url, paragraphs));
    for (const key of await redis.keys(`${prefix}:dedup:result:*`)) await redis.del(key);
    for (const [i, [url, paragraphs]] of articles.entries()) {
      const again = await index.addArticle(url, paragraphs);
      expect(again).toEqual(first[i]);
      expect(again.duplicateOf?.url).not.toBe(url);
      again.paragraphs.forEach((match, position) => {
        if (match?.url === url) expect(match.index).toBeLessThan(position);
      });
    }
    expect(first.at(-2)!.paragraphs[PROTEST_SECOND]).toMatchObject({
      url: 'https://seed.example/1',
      index: PROTEST_FIRST,
    });
    expect(first.at(-1)!.duplicateOf).toMatchObject({ url: 'https://seed.example/1' });
  });

  it('adds nothing and answers null while the index is not ready, in the same call that would add', async () => {
    const index = redisIndex();
    expect(await index.addArticleIfReady('https://seed.example/early', SEED)).toBeNull();
    // The refused article left nothing behind: a later copy finds no original.
    await index.markReady();
    const first = await index.addArticleIfReady('https://seed.example/1', SEED);
    expect(first?.duplicateOf).toBeNull();
    const copy = await index.addArticleIfReady('https://seed.example/copy', SEED);
    expect(copy?.duplicateOf).toMatchObject({ url: 'https://seed.example/1' });
  });

  it('decides exactly as the in-memory index on a stream of real news paragraphs', async () => {
    const articles = realArticles(60);
    const memory = new MemoryDedupIndex(SETTINGS);
    const shared = redisIndex();
    for (const [url, paragraphs] of articles) {
      expect(await shared.addArticle(url, paragraphs)).toEqual(memory.addArticleSync(url, paragraphs));
    }
  });

  it('stops filling a bucket that many paragraphs share and still finds a copy through the other bands', async () => {
    // 250 different paragraphs that all begin with the same pair: in each band about one in nine has it as its
    // minimum, so most bands' bucket for it fills up.
    const paragraphs = Array.from(
      { length: 250 },
      (_, i) => `alpha bravo ${Array.from({ length: 8 }, (_, j) => `word${i}x${j}`).join(' ')}`,
    );
    const memory = new MemoryDedupIndex(SETTINGS);
    const prefix = uniquePrefix('dedup-full');
    const shared = redisIndex(redis, prefix);
    for (const [i, text] of paragraphs.entries()) {
      const expected = memory.addArticleSync(`https://full.example/${i}`, [text]);
      expect(expected.paragraphs).toEqual([null]);
      expect(await shared.addArticle(`https://full.example/${i}`, [text])).toEqual(expected);
    }
    const copy = paragraphs[249]!.replace('word249x7', 'changed');
    const found = { url: 'https://full.example/249', index: 0, similarity: expect.any(Number) as number };
    expect(memory.addArticleSync('https://copy.example/full', [copy]).paragraphs).toEqual([found]);
    expect((await shared.addArticle('https://copy.example/full', [copy])).paragraphs).toEqual([found]);

    const bucketSizes: number[] = [];
    for (const key of await redis.keys(`${prefix}:dedup:g*:plsh:*`))
      for (const ids of Object.values(await redis.hgetallBuffer(key))) bucketSizes.push(ids.length / 3);
    expect(Math.max(...bucketSizes)).toBe(21);
  });

  it('yields exactly one original when replicas add near-identical articles at the same moment', async () => {
    const prefix = uniquePrefix('race');
    const connections = Array.from({ length: 4 }, () => new Redis(TEST_REDIS_URL));
    const replicas = connections.map((connection) => redisIndex(connection, prefix));
    try {
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all(
          replicas.map((replica, i) =>
            replica.addArticle(`https://site${i}.example/round-${round}`, [
              SEED[PROTEST_FIRST]!,
              `${SEED[round]} (round ${round})`,
            ]),
          ),
        );
        const originals = results.filter((result) => result.paragraphs[0] === null);
        expect(originals).toHaveLength(round === 0 ? 1 : 0);
        const pointers = new Set(results.flatMap((result) => (result.paragraphs[0] ? [result.paragraphs[0].url] : [])));
        expect(pointers.size).toBe(1);
      }
    } finally {
      await Promise.all(connections.map((connection) => connection.quit()));
    }
  });
});

/** Paragraphs of real news articles (ASB corpus) when present, else the seed article split in two halves. */
function realArticles(limit: number): [string, string[]][] {
  if (!HAVE_CORPORA)
    return [
      ['https://seed/1', SEED.slice(0, 12)],
      ['https://seed/2', SEED.slice(12)],
      ['https://seed/3', SEED],
    ];
  const truth = JSON.parse(readFileSync(join(CORPORA_DIR, 'extraction/asb/ground-truth.json'), 'utf8')) as Record<
    string,
    { articleBody: string; url: string }
  >;
  const articles = Object.values(truth)
    .slice(0, limit)
    .map((entry): [string, string[]] => [
      entry.url,
      entry.articleBody
        .split(/\n+/)
        .map((line) => line.trim())
        .filter(Boolean),
    ]);
  // Republications and rewordings so the comparison covers the duplicate paths, not only originals.
  articles.push(['https://copy.example/0', articles[0]![1]]);
  articles.push(['https://copy.example/1', articles[1]![1].map((text) => text.replace(/\bthe\b/g, 'a'))]);
  return articles;
}

describe('RedisDedupIndex retention', () => {
  it('forgets paragraphs older than the retention window and deletes their keys', async () => {
    const prefix = uniquePrefix('retention');
    prefixes.push(prefix);
    const index = new RedisDedupIndex(redis, prefix, { ...SETTINGS, retentionMs: 800 });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    expect((await index.addArticle('https://a.example/old', SEED)).duplicateOf).toBeNull();
    expect((await index.addArticle('https://b.example/copy', SEED)).duplicateOf).toMatchObject({
      url: 'https://a.example/old',
    });
    await sleep(900);
    // A new generation starts; the old one is still within reach (its successor is younger than the retention).
    expect(
      (
        await index.addArticle('https://c.example/other', [
          'A different story about the weather in Riga, where it rained all week long.',
        ])
      ).duplicateOf,
    ).toBeNull();
    expect((await index.addArticle('https://d.example/copy', SEED)).duplicateOf).toMatchObject({
      url: 'https://a.example/old',
    });
    await sleep(900);
    const late = await index.addArticle('https://e.example/copy', SEED);
    expect(late.duplicateOf).toBeNull();
    expect(late.paragraphs.every((match) => match === null || match.url === 'https://e.example/copy')).toBe(true);

    const generationOneKeys = async () => (await redis.keys(`${prefix}:dedup:g1:*`)).length;
    expect(await generationOneKeys()).toBeGreaterThan(0);
    expect(await index.purgeExpired()).toBeGreaterThan(0);
    expect(await generationOneKeys()).toBe(0);
  });
});

describe('RedisDedupIndex.forget', () => {
  it('stops pointing at paragraphs of articles pruned from storage', async () => {
    const index = redisIndex();
    await index.addArticle('https://a.example/pruned', SEED);
    await index.forget(['https://a.example/pruned']);
    const again = await index.addArticle('https://b.example/copy', SEED);
    expect(again.duplicateOf).toBeNull();
    expect(again.paragraphs.filter((match) => match?.url === 'https://a.example/pruned')).toEqual([]);
    // The copy is the original now.
    expect((await index.addArticle('https://c.example/copy', SEED)).duplicateOf).toMatchObject({
      url: 'https://b.example/copy',
    });
  });
});
