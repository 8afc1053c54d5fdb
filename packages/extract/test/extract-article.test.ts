import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../src/index.ts';
import { CORPORA_DIR, HAVE_CORPORA } from '../../../test/helpers.ts';

const SEED = readFileSync(new URL('../../../services/cli/demo/seed-article.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter(Boolean);

const STORM_STORY =
  '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said in a statement.</p>';

const page = (body: string, head = '') => `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">${head}
<title>Minsk warns the West | The Daily</title></head><body>
<div id="cookie-notice" class="cookie-consent">This site uses cookies. <a href="/privacy">Learn more</a></div>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<div class="social-share"><a href="#">Share on Facebook</a><a href="#">Tweet</a></div>
<main><article>
<h1>Minsk warns the West</h1>
${body}
<div class="newsletter">Sign up for our newsletter to get the news in your inbox every morning.</div>
</article>
<aside class="related-stories"><h2>Related</h2><ul><li><a href="/x">Another story about Belarus and its president</a></li></ul></aside>
<div id="comments"><p>Reader comment: this is a long comment that should never be part of the article text at all.</p></div>
</main>
<footer>© 2021 The Daily. All rights reserved.</footer>
<script>var tracking = "should not appear";</script>
</body></html>`;

describe('extractArticle', () => {
  const seedHtml = page(SEED.map((line) => `<p>${line}</p>`).join('\n'));

  it('keeps every paragraph of the seed article and drops its [ad_N] placeholders', () => {
    const article = extractArticle(seedHtml, 'https://daily.example/2021/02/20/minsk.html');
    const expected = SEED.filter((line) => !/^\[ad_\d\]$/.test(line));
    expect(article.paragraphs.map((paragraph) => paragraph.text)).toEqual(expected);
    expect(article.text).not.toMatch(/\[ad_\d\]/);
  });

  it('leaves out page chrome: cookie notice, navigation, share bar, newsletter, related, comments, footer, scripts', () => {
    const { text } = extractArticle(seedHtml, 'https://daily.example/a');
    for (const chrome of [
      'cookies',
      'Home',
      'Share on Facebook',
      'newsletter',
      'Another story',
      'Reader comment',
      'All rights reserved',
      'tracking',
    ]) {
      expect(text).not.toContain(chrome);
    }
  });

  it('removes inline ad shortcodes inside a paragraph and keeps bracketed words that are not ads', () => {
    const article = extractArticle(
      page(
        '<p>[ad_1] First paragraph of the story that is long enough to count as text. [ads2]</p><p>As well as [pasiūlytos] concrete measures, the ministry said on Friday in a statement.</p>',
      ),
      'https://x.example/a',
    );
    expect(article.paragraphs.map((paragraph) => paragraph.text)).toEqual([
      'First paragraph of the story that is long enough to count as text.',
      'As well as [pasiūlytos] concrete measures, the ministry said on Friday in a statement.',
    ]);
  });

  it('reads metadata from JSON-LD first, then OpenGraph and meta tags', () => {
    const head = `<meta property="og:title" content="OG title"><meta property="og:site_name" content="The Daily">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"The Daily"},
{"@type":"NewsArticle","headline":"JSON-LD headline","datePublished":"2021-02-20T11:15:00+02:00","author":[{"@type":"Person","name":"Jane Roe"},{"@type":"Person","name":"John Doe"}]}]}</script>`;
    const article = extractArticle(
      page('<p>Body text of the article, long enough to be taken as the main content here.</p>', head).replace(
        '<h1>Minsk warns the West</h1>',
        '',
      ),
      'https://daily.example/a',
    );
    expect(article).toMatchObject({
      title: 'JSON-LD headline',
      author: 'Jane Roe, John Doe',
      publishedAt: '2021-02-20T11:15:00.000+02:00',
      language: 'en',
      siteName: 'The Daily',
    });
  });

  it('takes the headline people see: the h1 that says what the meta titles say, never the site name', () => {
    const head = `<meta property="og:title" content="Storm Hits The Coast, Thousands Without Power | The Daily">`;
    const html = `<html><head>${head}<title>Storm hits the coast - The Daily</title></head><body>
<header><h1 class="logo">The Daily</h1></header><article><h1>Storm hits the coast: thousands without power</h1>
<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p></article></body></html>`;
    expect(extractArticle(html, 'https://www.thedaily.example/storm').title).toBe(
      'Storm hits the coast: thousands without power',
    );
    // No h1: the meta title without the site name, its entities decoded once more (`&amp;#8217;` in the source).
    const plain = `<html><head><meta property="og:title" content="Budget Traveler&amp;#8217;s Guide | The Daily"></head>
<body><p>Some text of the page that is long enough to be the main content of it.</p></body></html>`;
    expect(extractArticle(plain, 'https://thedaily.example/guide').title).toBe('Budget Traveler\u2019s Guide');
  });

  it('keeps both parts of a two-part headline whose first part is shorter in the title tag, and cuts trailing sections', () => {
    const story =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const page = (title: string, h1: string) =>
      `<html><head><title>${title}</title></head><body><article><h1>${h1}</h1>${story}</article></body></html>`;
    const url = 'https://eartheasy.example/zero-waste';
    expect(
      extractArticle(page('Zero Waste - A Beginner’s Guide – Eartheasy', 'Zero Waste - A Beginner’s Guide'), url).title,
    ).toBe('Zero Waste - A Beginner’s Guide');
    // A section after the headline in both goes; so does one before it when the <title> is all there is.
    expect(
      extractArticle(page('Storm hits the coast | Opinion | The Daily', 'Storm hits the coast | Opinion'), url).title,
    ).toBe('Storm hits the coast');
    const noH1 = `<html><head><title>Opinion | Storm hits the coast, thousands without power</title></head><body>${story}</body></html>`;
    expect(extractArticle(noH1, url).title).toBe('Storm hits the coast, thousands without power');
  });

  it('reads JSON-LD printed in a <meta name="script:ld+json"> tag (a Remix meta entry)', () => {
    const json = JSON.stringify({
      '@type': 'Article',
      headline: 'Meta-borne headline',
      datePublished: '2025-11-17T09:00:00-05:00',
      author: { '@type': 'Person', name: 'Jane Roe' },
    });
    const head = `<meta name="script:ld+json" content="${json.replaceAll('"', '&quot;')}">`;
    const body = '<p>Body text of the article, long enough to be taken as the main content here.</p>';
    const article = extractArticle(page(body, head), 'https://daily.example/a');
    expect(article).toMatchObject({ author: 'Jane Roe', publishedAt: '2025-11-17T09:00:00.000-05:00' });
  });

  it('reads a JSON-LD headline cut short (Yoast stops at 110 characters) in full from the meta title it begins', () => {
    const title = 'Fix It Friday: We Help 4 Readers Find Solutions (Including One Universal Trick That Works)';
    const jsonLd = JSON.stringify({ '@type': 'Article', headline: title.slice(0, 60) });
    const html = `<html><head><script type="application/ld+json">${jsonLd}</script><meta property="og:title" content="${title} - Emily">
<title>${title} - Emily</title></head><body><p>The storm reached the coast on Sunday night, and thousands of homes lost power.</p></body></html>`;
    expect(extractArticle(html, 'https://emily.example/fix').title).toBe(title);
  });

  it('drops gallery furniture: image counters and gallery links', () => {
    const article = extractArticle(
      page(
        '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p><p>Image 1 of / 23</p><p>Slide 2 of 23</p><p>Back to Gallery</p><p>Crews worked through the night to restore power to the homes that lost it in the storm.</p>',
      ),
      'https://x.example/a',
    );
    expect(article.paragraphs.map((paragraph) => paragraph.text)).toEqual([
      'The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.',
      'Crews worked through the night to restore power to the homes that lost it in the storm.',
    ]);
  });

  it('removes layout chrome by tag, role, hidden attributes and hiding styles, inside the story too', () => {
    const story = [
      'The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.',
      'Crews worked through the night to restore power to the homes that lost it in the storm, the utility said.',
      'Schools in the county stayed closed on Monday while roads were cleared of fallen trees and debris.',
    ];
    const chrome = [
      '<div role="complementary"><p>Complementary chrome paragraph that is long enough to be kept as text.</p></div>',
      '<div aria-hidden="true"><p>Aria-hidden chrome paragraph that is long enough to be kept as text.</p></div>',
      '<div style="color:red;display: none"><p>Invisible chrome paragraph that is long enough to be kept as text.</p></div>',
      '<figure><p>Figure chrome paragraph that is long enough to be kept as a paragraph of text.</p></figure>',
      '<section hidden><p>Hidden section chrome paragraph that is long enough to be kept as text.</p></section>',
      '<button>Button chrome paragraph that is long enough to be kept as a paragraph of text.</button>',
    ];
    const html = `<html><body><nav><p>Navigation chrome paragraph that is long enough to be kept as text.</p></nav><article>${story
      .map((text, i) => `<p>${text}</p>${chrome[i * 2] ?? ''}${chrome[i * 2 + 1] ?? ''}`)
      .join('')}</article></body></html>`;
    expect(extractArticle(html, 'https://x.example/a').paragraphs.map((paragraph) => paragraph.text)).toEqual(story);
  });

  it("keeps a quotation marked up as a figure, and still drops a picture's figure", () => {
    const paragraphs = [
      'Search is changing, and the metrics that experts relied on are changing with it, fast.',
      'Organic traffic and keyword rankings now tell less of the story than they used to, they say.',
      'What matters more is whether the people who arrive stay, read and come back again later.',
    ];
    const html =
      `<html><body><article><h1>SEO predictions</h1><p>${paragraphs[0]}</p>` +
      '<figure class="quote"><div><blockquote><p>SEO is not dead, it is just different.</p></blockquote></div>' +
      '<figcaption>Patrick, VP of Services</figcaption></figure>' +
      `<p>${paragraphs[1]}</p><figure><img src="/chart.png"><figcaption>Traffic by month, 2024</figcaption></figure>` +
      `<p>${paragraphs[2]}</p></article></body></html>`;
    const text = extractArticle(html, 'https://x.example/seo').text;
    expect(text).toContain('SEO is not dead, it is just different.');
    expect(text).not.toContain('Traffic by month');
    for (const paragraph of paragraphs) expect(text).toContain(paragraph);
  });

  it('keeps one copy of a story printed twice, and a description repeated under each date of an events page', () => {
    const story = [
      'Drop-in yoga classes cost between fifteen and thirty dollars, depending on the city and the teacher.',
      'Packages of ten classes, bought at once, bring the price of each class down by about a fifth.',
      'Memberships suit regulars best: one monthly fee, as many classes as they like, and fewer no-shows.',
      'Whatever you charge, write the prices down plainly, and review them once a year as costs rise.',
    ];
    const copy = `<div class="post-body">${story.map((text) => `<p>${text}</p>`).join('')}</div>`;
    const twice = `<html><body><article><h1>How much to charge</h1>${copy}${copy}</article></body></html>`;
    const text = extractArticle(twice, 'https://x.example/yoga').text;
    for (const paragraph of story) expect(text.split(paragraph)).toHaveLength(2);

    const description = 'A two-day event for managed service providers, with talks, workshops and time to meet peers.';
    const events = ['Denver, March 3', 'Austin, April 14', 'Boston, May 20']
      .map((date) => `<h3>${date}</h3><p>${description}</p>`)
      .join('');
    const listing = `<html><body><article><h1>Events</h1><p>${story[0]}</p>${events}</article></body></html>`;
    expect(extractArticle(listing, 'https://x.example/events').text.split(description)).toHaveLength(4);
  });

  it('cuts a list of dated teasers under a "Latest News" heading, though it is longer than the story', () => {
    const story = [
      'If someone is not careful at the gym, they may get hurt, and the question is who pays for it.',
      'Most waivers only protect the gym from being sued if its employees were not negligent.',
      'Businesses have to ensure that their premises are safe, so that people do not slip and fall.',
    ];
    const teasers = ['March 29, 2025', 'March 27, 2025', 'March 24, 2025'].flatMap((date, i) => [
      date,
      `Navigating the disability process can be overwhelming, and this is part ${i + 1} of a long series about it.`,
    ]);
    const html =
      `<html><body><article><h1>Hurt at the gym</h1>${story.map((text) => `<p>${text}</p>`).join('')}` +
      `<h3>Latest News</h3>${teasers.map((text) => `<p>${text}</p>`).join('')}</article></body></html>`;
    const text = extractArticle(html, 'https://law.example/blog/hurt-at-the-gym').text;
    expect(text).toContain(story[2]);
    expect(text).not.toContain('Latest News');
    expect(text).not.toContain('part 1 of a long series');
  });

  it('cuts the latest stories under a short press release, each with its section, byline and date', () => {
    const story = [
      'The Venezuelan Institute for Culture and Cooperation announces that enrolment is now open for its Spanish classes.',
      'Classes for beginners and advanced learners start in January and run twice a week for twelve weeks at the institute.',
      'Learning Spanish opens doors to new cultures and strengthens ties across the Caribbean and Latin America, it said.',
      'Registration forms are available at the institute, and places are limited, so early enrolment is encouraged by staff.',
      'For more information, contact the institute by telephone during office hours from Monday to Friday, it added.',
    ];
    const teasers = Array.from({ length: 6 }, (_, i) => [
      'Front Page',
      'Webmaster',
      `December ${19 - i}, 2025`,
      `Police officers mounted an exhibition on Wednesday as part of the annual crime prevention week, story ${i + 1} of the day, and residents came out to see it in large numbers.`,
    ]).flat();
    const html =
      `<html><body><article><h1>Enrolment now open for Spanish classes</h1>${story.map((text) => `<p>${text}</p>`).join('')}` +
      `<h4>ALSO IN THE NEWS</h4>${teasers.map((text) => `<p>${text}</p>`).join('')}</article></body></html>`;
    const text = extractArticle(html, 'https://news.example/press-release/spanish-classes').text;
    expect(text).toContain(story[4]);
    expect(text).not.toContain('ALSO IN THE NEWS');
    expect(text).not.toContain('crime prevention week');
  });

  it('drops the comments under a post written without <p>, however much more they say', () => {
    const post =
      'My belief is that lean startups will achieve lower development costs and faster time to market.<br><br>' +
      'Whether they also lead to higher returns for investors is a question I look forward to studying.';
    // One long comment outweighs the post: the comment section holds most of the page's <p> text.
    const comment = Array.from(
      { length: 5 },
      (_, i) => `<p>Point ${i + 1}: a great idea, though I see problems with it, and here is why, at some length.</p>`,
    ).join('');
    const comments = `<li class="comment"><cite>Mark</cite>${comment}</li>`;
    const html =
      `<html><body><div class="post"><h3 class="post-title">The lean startup</h3><div class="post-body">${post}</div></div>` +
      `<div class="comments" id="comments"><h4>1 comment:</h4><ol>${comments}</ol></div></body></html>`;
    const text = extractArticle(html, 'https://blog.example/2008/09/lean-startup.html').text;
    expect(text).toContain('a question I look forward to studying');
    expect(text).not.toContain('Point 1: a great idea');
  });

  it('drops a footer of testimonials that holds as much prose as the article beside it', () => {
    const story = Array.from(
      { length: 5 },
      (_, i) =>
        `<p>Toddlers who wake at night, part ${i + 1}: keep the routine short, calm and the same every evening.</p>`,
    );
    const testimonials = Array.from(
      { length: 6 },
      (_, i) =>
        `<p>The staff were kind, quick and caring with my kids, every single visit we made, says parent ${i + 1}.</p>`,
    );
    const html =
      `<html><body><main><article><h1>Sleep training</h1>${story.join('')}</article></main>` +
      `<div class="x-bar x-bar-footer"><div class="slider">${testimonials.join('')}</div></div></body></html>`;
    const text = extractArticle(html, 'https://x.example/sleep').text;
    expect(text).toContain('part 5: keep the routine short');
    expect(text).not.toContain('says parent');
  });

  it('keeps a hidden or aside wrapper that holds most of the prose (streamed React pages, unclosed asides)', () => {
    const story = [
      'The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.',
      'Crews worked through the night to restore power to the homes that lost it in the storm, the utility said.',
      'Schools in the county stayed closed on Monday while roads were cleared of fallen trees and debris.',
    ];
    const body = story.map((text) => `<p>${text}</p>`).join('');
    const streamed = `<html><body><nav><a href="/">Home</a></nav><div id="root"><p>Loading…</p></div>
<div hidden id="S:0"><main>${body}</main></div><aside><p>Most read: another story</p></aside></body></html>`;
    expect(extractArticle(streamed, 'https://x.example/a').paragraphs.map((paragraph) => paragraph.text)).toEqual(
      story,
    );
    const unclosedAside = `<html><body><aside class="announcement">Sale today!<main><article>${body}</article></main></body></html>`;
    expect(extractArticle(unclosedAside, 'https://x.example/b').text).toContain('Schools in the county stayed closed');
  });

  it('puts streamed React chunks where their script would, in place of the loading fallback', () => {
    const story = [
      'The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.',
      'Crews worked through the night to restore power to the homes that lost it in the storm, the utility said.',
    ];
    const html = `<html><body><main><h1>Storm hits the coast</h1><!--$?--><template id="B:0"></template>
<p>Loading the story, please wait while the page fetches the rest of the article text.</p><!--/$-->
<p>Schools in the county stayed closed on Monday while roads were cleared of fallen trees.</p></main>
<footer><p>About us and other links</p></footer>
<div hidden id="S:0">${story.map((text) => `<p>${text}</p>`).join('')}</div>
<script>$RC("B:0","S:0")</script></body></html>`;
    const paragraphs = extractArticle(html, 'https://x.example/a').paragraphs.map((paragraph) => paragraph.text);
    expect(paragraphs).toEqual([
      ...story,
      'Schools in the county stayed closed on Monday while roads were cleared of fallen trees.',
    ]);
    // A segment (not a boundary) streamed late fills its `<template id="P:n">`, where it belongs in the story.
    const segment = `<html><body><main><p>${story[0]}</p><div><template id="P:4"></template></div>
<p>Schools in the county stayed closed on Monday while roads were cleared of fallen trees.</p></main>
<div hidden id="S:4"><p>${story[1]}</p></div></body></html>`;
    expect(extractArticle(segment, 'https://x.example/b').paragraphs.map((paragraph) => paragraph.text)).toEqual([
      ...story,
      'Schools in the county stayed closed on Monday while roads were cleared of fallen trees.',
    ]);
  });

  it("keeps a recipe's ingredients set in an <aside> beside the method, and drops other asides", () => {
    const method = [
      'Mix the flours, the salt and the starter in a large bowl until no dry flour is left, then cover the bowl.',
      'Fold the dough every half hour for two hours, then shape it and let it rise overnight in the fridge.',
      'Bake at 250 degrees for twenty minutes with the lid on, then twenty-five minutes more without it.',
    ];
    const html = `<html><body><main><section class="recipe"><aside class="recipe__ingredients"><ul>
<li>4 cups (500g) bread flour</li><li>1 3/4 teaspoons table salt</li><li>1/4 cup (60g) sourdough starter</li></ul></aside>
<div class="recipe__method">${method.map((text) => `<p>${text}</p>`).join('')}</div></section>
<aside class="sidebar"><p>Popular this week: our ten best breads for beginners, from focaccia to rye.</p></aside></main></body></html>`;
    const text = extractArticle(html, 'https://x.example/a').text;
    expect(text).toContain('- 1/4 cup (60g) sourdough starter');
    expect(text).toContain(method.join('\n\n'));
    expect(text).not.toContain('Popular this week');
  });

  it('reads the page as a browser builds it: content after a stray </body>, paragraphs straight under <body>', () => {
    const story = [
      'The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.',
      'Crews worked through the night to restore power to the homes that lost it in the storm, the utility said.',
      'Schools in the county stayed closed on Monday while roads were cleared of fallen trees and debris.',
    ];
    const strayEnd = `<html><body><nav><a href="/">Home</a></nav><div class="author"><p>By Jane Roe</p></div></body></html>
<div class="post"><div class="content">${story.map((text) => `<p>${text}</p>`).join('')}</div></div></body></html>`;
    expect(extractArticle(strayEnd, 'https://x.example/a').paragraphs.map((paragraph) => paragraph.text)).toEqual(
      story,
    );
    const handWritten = `<HTML><BODY><H1>The storm</H1>${story[0]}<P>${story[1]}<P>${story[2]}
<TABLE><TR><TD><IMG SRC="a.png"><BR>A picture of the storm over the coast, taken from the hill.</TD></TR></TABLE></BODY></HTML>`;
    expect(extractArticle(handWritten, 'https://x.example/b').text).toContain(story.join('\n\n'));
  });

  it('keeps a sibling block whose prose sits deeper than scoring reaches (reviews in boxes), not a linked list', () => {
    // The guide outscores its <article>, so the article is not taken whole; the reviews' boxes score nothing there.
    const guide = [
      'vertical mice',
      'trackballs',
      'fingertip mice',
      'split keyboards',
      'wrist rests',
      'desk heights',
    ].map(
      (topic) =>
        `On ${topic}: what testers found, in short, is that comfort, fit and habit matter more than the price.`,
    );
    const review = (name: string) =>
      `<div class="product"><div class="inner"><div class="body"><p>The ${name} is comfortable for long days, with a sculpted grip and quiet buttons.</p></div></div></div>`;
    const html = `<html><body><article><div id="text">${guide.map((text) => `<p>${text}</p>`).join('')}</div>
<div class="recap">${['Logitech MX', 'Razer Pro', 'Kensington Orbit'].map(review).join('')}</div>
<div class="more">${['One', 'Two', 'Three', 'Four'].map((n) => `<p><a href="/${n}">${n}: more of our guides to desks, chairs, keyboards and monitors for the office</a></p>`).join('')}</div>
</article></body></html>`;
    const text = extractArticle(html, 'https://x.example/a').text;
    for (const name of ['Logitech MX', 'Razer Pro', 'Kensington Orbit']) expect(text).toContain(`The ${name} is`);
    expect(text).toContain(guide.join('\n\n'));
    expect(text).not.toContain('more of our guides');
  });

  it('keeps an intro set apart from the story before it, not an author box or a disclosure there', () => {
    const intro = [
      'Your business is generating more data than ever. But data gives no edge while it sits in dashboards.',
      'So how do you turn all that raw data into insights? By staying on top of the newest trends, described here.',
    ];
    // A long story: the intro is too small a share of it to be kept as a sibling of the story's container.
    const story = Array.from(
      { length: 60 },
      (_, i) =>
        `Trend ${i + 1}: teams that read their data every week, not every quarter, find problems sooner, and they fix them for less money.`,
    );
    const asParagraphs = (texts: string[]) => texts.map((text) => `<p>${text}</p>`).join('');
    const paragraphs = (lead: string) =>
      extractArticle(
        `<html><body><article><div class="column"><div class="intro"><div class="inner">${lead}</div></div>
<div class="cta"><h4>Product growth in the age of AI</h4><p>Free live online conference</p><a href="/signup">Save your spot!</a></div>
<div class="body"><div class="wrap"><h2>Why invest in data analysis?</h2>${asParagraphs(story)}</div></div>
</div></article></body></html>`,
        'https://x.example/a',
      ).paragraphs.map((paragraph) => paragraph.text);
    expect(paragraphs(asParagraphs(intro))).toEqual([...intro, 'Why invest in data analysis?', ...story]);
    const notLeads = [
      // An author box: a credit line, then the bio.
      `<p>Written by</p><p>Chief Business Editor</p>${asParagraphs(intro)}`,
      `${asParagraphs(intro)}<p>We may earn a commission when you buy through links on our site, which supports our work.</p>`,
    ];
    for (const lead of notLeads) expect(paragraphs(lead)[0]).toBe('Why invest in data analysis?');
  });

  it('reads a word broken by soft hyphens whole, in the headline and the text', () => {
    const story = [
      'Die Bundes&shy;regierung hat am Mittwoch beschlossen, dass die Verkehrs&shy;wende schneller kommen soll.',
      'Der Minister sagte, die Bahn bekomme dafür mehr Geld, und die Länder sollen schneller planen dürfen.',
    ];
    const html = `<html lang="de"><body><article><h1>Die Bundes&shy;regierung beschließt die Verkehrs&shy;wende</h1>
${story.map((text) => `<p>${text}</p>`).join('')}</article></body></html>`;
    const article = extractArticle(html, 'https://x.example/a');
    expect(article.title).toBe('Die Bundesregierung beschließt die Verkehrswende');
    expect(article.paragraphs.map((paragraph) => paragraph.text)).toEqual(
      story.map((text) => text.replaceAll('&shy;', '')),
    );
  });

  it("drops the author's name alone and a section label over a dateline above the story", () => {
    const story = [
      'The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.',
      'Crews worked through the night to restore power to the homes that lost it in the storm, the utility said.',
    ];
    const head = '<head><meta name="author" content="Luke Kim"></head>';
    const html = (above: string) =>
      `<html>${head}<body><article>${above}${story.map((text) => `<p>${text}</p>`).join('')}</article></body></html>`;
    const paragraphsOf = (above: string) =>
      extractArticle(html(above), 'https://x.example/a').paragraphs.map((paragraph) => paragraph.text);
    expect(paragraphsOf('<p>Luke Kim</p><p>December 17, 2025</p>')).toEqual(story);
    expect(paragraphsOf('<p>Press Release</p><p>December 19, 2025</p>')).toEqual(story);
    expect(paragraphsOf('<p>Dec 23</p><p>Written By Luke Kim</p>')).toEqual(story);
    // A label over the story's first paragraph, with no dateline, stays.
    expect(paragraphsOf('<p>Overview of the night</p>')).toEqual(['Overview of the night', ...story]);
  });

  it('drops furniture lines and a first line that repeats the headline word for word', () => {
    const story = [
      'The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.',
      'Crews worked through the night to restore power to the homes that lost it in the storm, the utility said.',
    ];
    const html = `<html><head><title>Storm cuts power to thousands</title></head><body><div class="post">
<p class="titulo">Storm cuts power to thousands</p><p>written by Regan</p><p>${story[0]}</p><p>Advert</p><p>This slideshow requires JavaScript.</p>
<p>The flooded coast road, photos © The Daily, 2024</p><p>Sharing is caring!</p><p>[button link="/submit" type="big"]Send us YOUR story[/button]</p>
<p>${story[1]}</p><p>Get The Daily delivered through your letterbox every month: 12 issues for £11.99.</p><p>sponsored links</p>
<p>You may also be interested in...</p><p>Tell us what YOU think...</p><p>Table of Contents</p><p>Article continues below</p>
<p>Share this recipe</p><p>You might like</p><p>Loading paragraph</p><p>Page 1 of 8</p><p>Get in touch</p>
<p>ATENÇÃO: Comentários com textos ininteligíveis ou que faltem com respeito ao usuário não serão aprovados pelo moderador.</p></div></body></html>`;
    expect(extractArticle(html, 'https://x.example/a').paragraphs.map((paragraph) => paragraph.text)).toEqual(story);
  });

  it('ends the story where a list of teasers for other stories begins near its end, not at such a box inside it', () => {
    const story = Array.from(
      { length: 10 },
      (_, i) =>
        `Paragraph ${i} of the story: the storm reached the coast on Sunday night, and homes lost power, officials said.`,
    );
    const teasers = [
      'Front Page',
      'Webmaster',
      'THE SALVATION ARMY continued its long-standing tradition of community outreach with 1,500 Christmas hampers...',
      'NICOLE HERBERT, who served as Clerk of the House of Assembly for 25 years, has been called out of retirement...',
    ];
    const paragraphsOf = (html: string) => extractArticle(html, 'https://x.example/a').paragraphs.map((p) => p.text);
    const atTheEnd = `<html><body><div class="post">${story.map((text) => `<p>${text}</p>`).join('')}
<h4>ALSO IN THE NEWS</h4>${teasers.map((text) => `<p>${text}</p>`).join('')}</div></body></html>`;
    expect(paragraphsOf(atTheEnd)).toEqual(story);
    const inside = `<html><body><div class="post"><p>${story[0]}</p><h4>Related stories</h4><p>${story[1]}</p>
${story
  .slice(2)
  .map((text) => `<p>${text}</p>`)
  .join('')}</div></body></html>`;
    expect(paragraphsOf(inside)).toEqual([story[0], 'Related stories', ...story.slice(1)]);
    // An author box's list of the author's other posts.
    const authorBox = `<html><body><div class="post">${story.map((text) => `<p>${text}</p>`).join('')}
<p>Latest posts by Autumn Adams (see all)</p><ul><li>Top yoga retreats in Oregon for 2026 - November 27, 2025</li>
<li>What to bring for a yoga retreat in Patagonia, your complete packing guide - November 4, 2025</li></ul></div></body></html>`;
    expect(paragraphsOf(authorBox)).toEqual(story);
  });

  it('ends the story at a feedback prompt, a disclaimer, an author box or links to more pages near its end, not where the story goes on', () => {
    const story = Array.from(
      { length: 10 },
      (_, i) =>
        `Paragraph ${i} of the guide: the trains from Tokyo to Kyoto leave every few minutes, and seats are easy to book.`,
    );
    const asParagraphs = (texts: string[]) => texts.map((text) => `<p>${text}</p>`).join('');
    const paragraphsOf = (tail: string) =>
      extractArticle(
        `<html><body><div class="post">${asParagraphs(story)}${tail}</div></body></html>`,
        'https://x.example/a',
      ).paragraphs.map((p) => p.text);
    const links =
      '<ul><li><a href="/a">Where to stay in Osaka</a></li><li><a href="/b">Japan on a budget</a></li></ul>';
    expect(paragraphsOf('<h4>More Japan Travel Guides</h4>' + links)).toEqual(story);
    expect(paragraphsOf('<h4>Related articles that may interest you</h4>' + links)).toEqual(story);
    expect(paragraphsOf('<p>Was this page helpful?</p><p>Thanks for your feedback!</p><p>Tell us why!</p>')).toEqual(
      story,
    );
    const notice =
      'As a service to our readers, we give access to our archive. No content on this site should replace advice.';
    expect(paragraphsOf(`<h3>Disclaimer:</h3><p>${notice}</p>`)).toEqual(story);
    expect(paragraphsOf('<h3>About the Author</h3><p>Senior Editor, Travel Desk</p>')).toEqual(story);
    // The same kind of box before the story's last paragraph: the story goes on after it.
    const closing =
      'And finally, we have reached the end of this long guide to the trains of Japan. I hope it was useful to you, ' +
      'and if you have any questions about the passes, the seats or the stations, leave them below and I will answer.';
    expect(paragraphsOf(`<h4>More useful posts about Japan</h4>${links}<p>${closing}</p>`)).toEqual([
      ...story,
      'More useful posts about Japan',
      closing,
    ]);
  });

  it('knows the teaser headings and "read also" lines of German, French, Spanish, Italian and Portuguese news', () => {
    const story = Array.from(
      { length: 10 },
      (_, i) => `Absatz ${i}: Der Sturm erreichte die Küste in der Nacht zum Sonntag, viele Häuser waren ohne Strom.`,
    );
    const teasers = [
      'Hochwasser im Süden: Pegel steigen weiter, die Feuerwehr ist im Dauereinsatz',
      'Bahnstreik angekündigt: Was Pendler jetzt wissen müssen, bevor sie morgen losfahren',
    ];
    const paragraphsOf = (html: string) => extractArticle(html, 'https://x.example/a').paragraphs.map((p) => p.text);
    for (const heading of ['Mehr zum Thema', 'À lire aussi', 'Noticias relacionadas', 'Articoli correlati']) {
      const html = `<html><body><div class="post">${story.map((text) => `<p>${text}</p>`).join('')}
<h3>${heading}</h3>${teasers.map((text) => `<p>${text}</p>`).join('')}</div></body></html>`;
      expect(paragraphsOf(html), heading).toEqual(story);
    }
    const readAlso = `<html><body><div class="post">${story
      .slice(0, 5)
      .map((text) => `<p>${text}</p>`)
      .join('')}<p>Lesen Sie auch: ${teasers[0]}</p><p>Weiterlesen …</p>${story
      .slice(5)
      .map((text) => `<p>${text}</p>`)
      .join('')}</div></body></html>`;
    expect(paragraphsOf(readAlso)).toEqual(story);
  });

  it('ends the story before a byline, dateline or call to follow printed under it, as it starts after a byline above it', () => {
    const story = Array.from(
      { length: 4 },
      (_, i) => `Paragraph ${i} of the story: the storm reached the coast on Sunday night, and homes lost power.`,
    );
    const html = `<html><body><article><p>By Jane Roe</p>${story.map((text) => `<p>${text}</p>`).join('')}
<p>Written by Cassidy Horton, senior editor of the weekly finance desk.</p><p>Posted March 3, 2024 at 10:42, updated later.</p></article></body></html>`;
    expect(extractArticle(html, 'https://x.example/a').paragraphs.map((paragraph) => paragraph.text)).toEqual(story);
    // So are the calls to follow or join under it; such a line inside the story stays.
    const calls = `<html><body><article>${story.map((text) => `<p>${text}</p>`).join('')}
<p>Join the Facebook group for more renovation stories!</p><p>Follow Hardtail Canada</p></article></body></html>`;
    expect(extractArticle(calls, 'https://x.example/a').paragraphs.map((paragraph) => paragraph.text)).toEqual(story);
    const inside = [story[0]!, 'Join the club, the mayor told the crowd.', ...story.slice(1)];
    const kept = `<html><body><article>${inside.map((text) => `<p>${text}</p>`).join('')}</article></body></html>`;
    expect(extractArticle(kept, 'https://x.example/a').paragraphs.map((paragraph) => paragraph.text)).toEqual(inside);
  });

  it("ends the story before the author's bio box, and keeps a paragraph about the author inside the story", () => {
    const story = Array.from(
      { length: 5 },
      (_, i) => `Paragraph ${i} of the story: the storm reached the coast on Sunday night, and homes lost power.`,
    );
    const page = (paragraphs: string[]) =>
      `<html><head><meta name="author" content="Cassidy Horton"></head><body><article>${paragraphs
        .map((text) => `<p>${text}</p>`)
        .join('')}</article></body></html>`;
    const bio = [
      'Cassidy Horton is a finance writer who helps people find financial freedom, with ten years at the desk.',
      'Follow her on the site of the magazine for the latest of her weekly columns and reports.',
    ];
    const paragraphsOf = (html: string) => extractArticle(html, 'https://x.example/a').paragraphs.map((p) => p.text);
    expect(paragraphsOf(page([...story, ...bio]))).toEqual(story);
    const aboutHer = [story[0]!, bio[0]!, ...story.slice(1)];
    expect(paragraphsOf(page(aboutHer))).toEqual(aboutHer);
  });

  it("keeps a changelog's items, mostly links with a few words each, and drops a list of links alone", () => {
    const changes = [
      'Make is_same_type_as() support floating point types',
      'Allow casts between integers and pointers',
    ];
    const html = `<html><body><article><h1>Progress report 39</h1>
<p>This month the backend gained two changes in libgccjit, and the test suite passes on two more targets, as planned.</p>
<ul>${changes.map((change) => `<li>libgccjit: <a href="https://gcc.example/commit/1">${change}</a></li>`).join('')}</ul>
<ul class="more">${['Report 38', 'Report 37', 'Report 36'].map((name) => `<li><a href="/${name}">${name}</a></li>`).join('')}</ul>
<p>The next report will cover the work on debug information, which is the largest item left on the list.</p></article></body></html>`;
    const text = extractArticle(html, 'https://x.example/a').text;
    for (const change of changes) expect(text).toContain(`libgccjit: ${change}`);
    expect(text).not.toContain('Report 38');
  });

  it('keeps a list of links that a sentence of the story announces, not one that announces other stories', () => {
    const patches = ['libgccjit: Fix volatile loads and stores', 'libgccjit: Add support for packed structs'];
    const links = (names: string[]) =>
      `<ul>${names.map((name, i) => `<li><p><a href="https://gcc.example/pulls/${i}">${name}</a></p></li>`).join('')}</ul>`;
    const story = (announcement: string, list: string[]) => `<html><body><article><h1>Progress report 39</h1>
<p>This month the backend gained several changes in libgccjit, and the test suite passes on two more targets.</p>
<p>${announcement}</p>${links(list)}
<p>The next report will cover the work on debug information, which is the largest item left on the list.</p></article></body></html>`;
    const announced = extractArticle(story('A few patches were merged upstream:', patches), 'https://x.example/a').text;
    for (const patch of patches) expect(announced).toContain(patch);
    const teasers = ['Progress report 38 is out now', 'Progress report 37 is out now'];
    const related = extractArticle(
      story('Here are some related reports you might enjoy:', teasers),
      'https://x.example/b',
    );
    for (const teaser of teasers) expect(related.text).not.toContain(teaser);
  });

  it("keeps a table the story wraps in a figure (WordPress's table block), not a picture's caption", () => {
    const html = `<html><body><article><h1>Largest insurers</h1>
<p>The ranking below lists the largest property and casualty insurers by premiums written last year, in billions.</p>
<figure class="wp-block-table"><table><tbody><tr><td>1</td><td>State Farm Group</td><td>107.8</td></tr>
<tr><td>2</td><td>Berkshire Hathaway</td><td>80.3</td></tr></tbody></table><figcaption>Source: the regulator</figcaption></figure>
<figure><img src="/office.jpg"><figcaption>The head office of the largest insurer, in the spring.</figcaption></figure>
<p>State Farm kept the first place it has held for years, and Berkshire Hathaway stayed second, as expected.</p>
</article></body></html>`;
    const text = extractArticle(html, 'https://x.example/a').text;
    expect(text).toContain('1 State Farm Group 107.8');
    expect(text).toContain('2 Berkshire Hathaway 80.3');
    expect(text).not.toContain('The head office');
    expect(text).not.toContain('Source: the regulator');
  });

  it('keeps the comments of a highlighted code block, whose spans are named like chrome', () => {
    const html = `<html><body><article><p>To get started with git, I would suggest digging in with the following commands, in order:</p>
<pre><code class="hljs"><span class="hljs-comment"># initialize git</span>
git init
<span class="token comment"># view the state of the repo</span>
git status</code></pre><p>That is all it takes to start a repository and to see what it holds, with nothing else installed.</p>
<div class="comments"><p>Great post, thanks! This helped me a lot with my first repository at work.</p></div></article></body></html>`;
    const text = extractArticle(html, 'https://x.example/a').text;
    expect(text).toContain('# initialize git git init # view the state of the repo git status');
    expect(text).not.toContain('Great post');
  });

  it('keeps every section of a story whose sections differ only by an id in their class (page builders)', () => {
    const sections = [
      'Transitioning to a plant-based diet is easier when you start with meals you already like, one at a time.',
      'Grocery prep: make a list and stock up on beans, whole grains, and vegetables, so a meal is always at hand.',
      'Spaghetti night: swap ground beef for lentils in the sauce, which keep the texture and add more fibre.',
    ];
    // The first section holds most of the prose, so the others are not picked for their own score.
    const lead = Array.from(
      { length: 3 },
      (_, i) => `<p>Step ${i + 1}, in short, and at your own pace: ${sections[0]}</p>`,
    );
    const html = `<html><body><div class="elementor">${sections
      .map(
        (text, i) =>
          `<div class="elementor-element elementor-element-${(0x7caa847 + i * 4099).toString(16)} e-con e-parent"><div class="widget"><p>${text}</p>${i === 0 ? lead.join('') : ''}</div></div>`,
      )
      .join(
        '',
      )}</div><div class="col-md-4 sidebar-like"><p>Subscribe to the newsletter for weekly recipes and tips.</p></div></body></html>`;
    const text = extractArticle(html, 'https://x.example/a').text;
    for (const section of sections) expect(text).toContain(section);
    expect(text).not.toContain('Subscribe');
  });

  it('keeps every entry of a listicle in classless list items, over a small box whose class names content', () => {
    const entries = [
      [
        'Kia PV5',
        'A big family car, compelling: refined, interesting and preposterously spacious, with room for seven.',
      ],
      [
        'Volvo EX90',
        'Smooth and silent on the road, it is a pleasure to drive, more so than its rivals, and frugal too.',
      ],
      [
        'Renault 5',
        'Cheerful, quick and cheap to run, it makes the case for small electric cars better than any other.',
      ],
      ['BMW iX3', 'The new platform charges fast, goes far, and rides well: a family crossover that feels well made.'],
    ];
    const html =
      '<html><body><main id="content"><div id="main"><ol reversed class="StyledList">' +
      entries
        .map(
          ([name, text], i) =>
            `<li><h2>${name}</h2><div class="sc-a"><div class="MarkUpWrapper"><p>${text}</p>` +
            `${i === 0 ? `<p>${text} ${text}</p>` : ''}<p><a href="/review/${i}">${name} review</a></p><p><a href="/deals/${i}">Compare new car deals</a></p></div></div></li>`,
        )
        .join('') +
      '</ol></div></main><div class="sc-b"><section class="Contents"><div>' +
      '<p>Get all the latest news, reviews and exclusives, direct to your inbox.</p></div></section></div></body></html>';
    const text = extractArticle(html, 'https://x.example/best-electric-cars').text;
    for (const [name, entry] of entries) {
      expect(text).toContain(name);
      expect(text).toContain(entry);
    }
    expect(text).not.toContain('direct to your inbox');
  });

  it('refuses what is not a web page (a feed, JSON, XML) instead of making an article of its markup', () => {
    const cases: [string, string][] = [
      ['<?xml version="1.0"?>\n<rss version="2.0"><channel><title>News</title></channel></rss>', 'an RSS feed'],
      ['\uFEFF<?xml version="1.0"?><!-- feed --><feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'an Atom feed'],
      ['{"version": "https://jsonfeed.org/version/1.1", "items": []}', 'a JSON Feed'],
      ['[{"id": 1}]', 'JSON'],
      ['<?xml version="1.0"?><sitemapindex></sitemapindex>', 'an XML document (<sitemapindex>)'],
    ];
    for (const [document, what] of cases)
      expect(() => extractArticle(document, 'https://x.example/a'), what).toThrow(`not an HTML page: ${what}`);
    const xhtml = `<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x">
<html xmlns="http://www.w3.org/1999/xhtml"><body><p>An XHTML page is a web page, and its text is long enough to keep.</p></body></html>`;
    expect(extractArticle(xhtml, 'https://x.example/a').text).toContain('An XHTML page is a web page');
  });

  it('reads a page of plain text: its blocks as paragraphs, a short first line as the headline', () => {
    const release =
      'Ministry announces new rail line\r\n\r\nThe ministry said on Monday that a new line will link the cities by 2030.\r\n' +
      '\r\nConstruction starts next year. [ad_1]\r\n\r\nIt costs 2 billion euros & more; 5 < 6.\r\n';
    const article = extractArticle(release, 'https://gov.example/release.txt');
    expect(article.title).toBe('Ministry announces new rail line');
    expect(article.paragraphs.map((paragraph) => paragraph.text)).toEqual([
      'The ministry said on Monday that a new line will link the cities by 2030.',
      'Construction starts next year.',
      'It costs 2 billion euros & more; 5 < 6.',
    ]);
    // Without blank lines, each line is a paragraph; a first line ending in a full stop is no headline.
    const lines = extractArticle('The first sentence of the notice.\nThe second one.', 'https://gov.example/n.txt');
    expect(lines.title).toBeNull();
    expect(lines.paragraphs.map((paragraph) => paragraph.text)).toEqual([
      'The first sentence of the notice.',
      'The second one.',
    ]);
  });

  it("gives the site's name without the tagline its og:site_name carries, where the host tells which part the name is", () => {
    const siteName = (declared: string, url: string) =>
      extractArticle(
        `<html><head><meta property="og:site_name" content="${declared}"></head><body><h1>Storm</h1>${STORM_STORY}</body></html>`,
        url,
      ).siteName;
    expect(
      siteName('Housecall Pro - The #1 all-in-one solution for your business.', 'https://www.housecallpro.com/a'),
    ).toBe('Housecall Pro');
    expect(siteName('Find a Provider Near You - Book Online - Sofia Health', 'https://sofia-health.com/a')).toBe(
      'Sofia Health',
    );
    expect(
      siteName('Columbia Star - Columbia’s weekly newspaper since 1963', 'https://www.thecolumbiastar.com/a'),
    ).toBe('Columbia Star');
    expect(siteName('Ambient Air Solutions |', 'https://www.ambientairsolutions.com/a')).toBe('Ambient Air Solutions');
    // No part names the host, or one only mentions it, or the name beside the host written out: kept whole.
    expect(siteName('Tech Blog | Mobile App Insights', 'https://emizentech.com/a')).toBe(
      'Tech Blog | Mobile App Insights',
    );
    expect(siteName('public voit - Web-page of Karl Voit', 'https://karl-voit.at/a')).toBe(
      'public voit - Web-page of Karl Voit',
    );
    expect(siteName('The Jerusalem Post | JPost.com', 'https://www.jpost.com/a')).toBe(
      'The Jerusalem Post | JPost.com',
    );
  });

  it('follows JSON-LD references to the author and publisher in a graph', () => {
    const head = `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
{"@type":"Article","headline":"Graph","author":{"@id":"https://g.example/#/person/1"},"publisher":{"@id":"https://g.example/#org"}},
{"@type":"Person","@id":"https://g.example/#/person/1","name":"Jane Roe"},{"@type":"Organization","@id":"https://g.example/#org","name":"The Graph"}]}</script>`;
    const html = `<html><head>${head}</head><body><p>Body text of the article, long enough to be taken as the main content.</p></body></html>`;
    expect(extractArticle(html, 'https://g.example/a')).toMatchObject({ author: 'Jane Roe', siteName: 'The Graph' });
    // A CMS that keeps the page's HTML escapes in its JSON-LD.
    const escaped = html.replace('"name":"Jane Roe"', '"name":"Maria &amp; Katerina O&#039;Brien"');
    expect(extractArticle(escaped, 'https://g.example/a').author).toBe("Maria & Katerina O'Brien");
  });

  it('takes the printed byline over a JSON-LD author that is only an organization, and the organization without one', () => {
    const head = `<script type="application/ld+json">{"@type":"BlogPosting","headline":"Tips",
"author":{"@type":"Organization","name":"Paycom"}}</script>`;
    const body = '<p>Body text of the article, long enough to be taken as the main content of the page.</p>';
    const byline = '<div class="post-author"><span class="author-name">By Jane Roe</span></div>';
    const page = (inBody: string) => `<html><head>${head}</head><body><article>${inBody}</article></body></html>`;
    expect(extractArticle(page(byline + body), 'https://paycom.example/tips').author).toBe('Jane Roe');
    expect(extractArticle(page(body), 'https://paycom.example/tips').author).toBe('Paycom');
    // A person in JSON-LD stays the author whatever the page prints.
    const person = page(byline + body).replace(
      '"@type":"Organization","name":"Paycom"',
      '"@type":"Person","name":"Max Mustermann"',
    );
    expect(extractArticle(person, 'https://paycom.example/tips').author).toBe('Max Mustermann');
  });

  it('reads the author from a line in the story that credits them, up to their role', () => {
    const story = (credit: string) => `<html><head><title>Plant-based diet</title></head><body><article>
<h1>Plant-based diet</h1><p><em>${credit}</em></p>
<p>Diet is one of the most important pillars of a balanced and thriving lifestyle, and plants can carry it.</p>
</article></body></html>`;
    const credited = story(
      'This post was written by <a href="/providers/2838">Vanessa Mendez, MD</a>, gastroenterologist, Parkview Health.',
    );
    expect(extractArticle(credited, 'https://health.example/blog/plants').author).toBe('Vanessa Mendez, MD');
    // A sentence about writing that credits nobody.
    const uncredited = story('This article was written by a human, with a light edit by a machine.');
    expect(extractArticle(uncredited, 'https://health.example/blog/plants').author).toBeNull();
  });

  it('takes no name from what an author box says about the author', () => {
    const html = (
      boxClass: string,
    ) => `<html><head><title>Espresso</title></head><body><article><h1>Espresso machines</h1>
<p>A good espresso machine holds its temperature from the first shot to the last, and these ones do.</p>
<div class="${boxClass}"><p class="gb-headline">Asser Christensen</p>
<div class="dynamic-author-description">Licensed Q Arabica Grader, M.A. Journalism</div></div>
</article></body></html>`;
    // The box says whose it is: the name is its first line.
    expect(extractArticle(html('author-box'), 'https://coffee.example/best').author).toBe('Asser Christensen');
    // Only the description says "author": it holds a role, not a name.
    expect(extractArticle(html('gb-container'), 'https://coffee.example/best').author).toBeNull();
  });

  it('reads a byline a page builder prints once per screen size as one name', () => {
    // Framer's markup: one copy of the name per breakpoint, CSS shows one; no class says "author".
    const variant =
      '<div class="ssr-variant hidden-a"><div class="framer-1vzxepw"><p><a>Loona Construction</a></p></div></div>';
    const html = `<html><head><title>Remodel</title></head><body><article><h1>Remodel or rebuild</h1>
<div class="framer-80zofw"><div class="framer-1sb7mi9"><p>Posted By</p></div>${variant}${variant}${variant}</div>
<p>Remodeling keeps the structure of a house and changes what is inside it, which costs less than rebuilding.</p>
</article></body></html>`;
    expect(extractArticle(html, 'https://loona.example/blog/remodel').author).toBe('Loona Construction');
  });

  it("takes no publication date from the day the page is read: a masthead's today, a venue's opening hours", () => {
    const page = (beforeStory: string) => `<html><head><title>Indoor plants</title></head><body>
<header><div class="current-date">Thursday, March 14, 2026</div></header><article><h1>Indoor plants for low light</h1>
${beforeStory}<p>Plants that grow in the shade of a forest floor do well in a dim room, and these five need little care.</p>
<h3>Today's Hours</h3><div class="garden-hours__date">March 14, 2026</div><p><strong>Open Today, March 14, 2026</strong></p>
</article></body></html>`;
    expect(extractArticle(page(''), 'https://garden.example/plants').publishedAt).toBeNull();
    // The story's own dateline is still read.
    const dated = page('<p class="dateline">January 3, 2025</p>');
    expect(extractArticle(dated, 'https://garden.example/plants').publishedAt).toBe('2025-01-03T00:00:00.000Z');
  });

  it('reads a printed byline and dateline when the meta data has none', () => {
    const html = `<html><head><title>Storm</title></head><body><article><h1>Storm hits the coast</h1>
<div class="entry-meta"><span class="author">Written by<a href="/people/maria">Maria Rossi</a><span>Senior Reporter</span></span></div>
<p class="dateline">2. Februar 2021</p>
<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>
<div class="comments"><p class="comment-author">By Some Commenter</p><p class="date">March 3, 2021</p></div>
</article></body></html>`;
    const article = extractArticle(html, 'https://daily.example/storm');
    expect(article.author).toBe('Maria Rossi');
    expect(article.publishedAt).toBe('2021-02-02T00:00:00.000Z');
  });

  it('reads bylines and datelines on a page whose <body> class says whether it has comments', () => {
    const page = (bodyClass: string) =>
      extractArticle(
        `<html><body class="${bodyClass}"><h1>Storm</h1><div class="byline">By Jane Roe</div><time datetime="2024-03-05">March 5, 2024</time>${STORM_STORY}</body></html>`,
        'https://c.example/storm',
      );
    for (const bodyClass of ['single-post no-comments', 'has-comments', 'comments-open']) {
      expect(page(bodyClass)).toMatchObject({ author: 'Jane Roe', publishedAt: '2024-03-05T00:00:00.000Z' });
    }
    // A byline inside the comments stays out.
    const commented = `<html><body><h1>Storm</h1>${STORM_STORY}<div class="comments"><div class="byline">By Some Reader</div></div></body></html>`;
    expect(extractArticle(commented, 'https://c.example/storm').author).toBeNull();
  });

  it('takes no headline for a name beside the date above it', () => {
    const html = `<html><body><div class="entry-header"><time class="updated" datetime="2021-09-09">September 9, 2021</time><h1 class="entry-title">Keeping It Clean</h1></div>${STORM_STORY}</body></html>`;
    expect(extractArticle(html, 'https://h.example/clean').author).toBeNull();
  });

  it("reads the publication date from Parse.ly's page object, an hAtom stamp and JSON-LD's dateCreated", () => {
    const date = (head: string, body = '') =>
      extractArticle(
        `<html><head>${head}</head><body><h1>Storm</h1>${body}${STORM_STORY}</body></html>`,
        'https://d.example/a',
      ).publishedAt;
    expect(date(`<meta name="parsely-page" content='{"title":"Storm","pub_date":"2021-03-04T10:00:00Z"}'>`)).toBe(
      '2021-03-04T10:00:00.000Z',
    );
    expect(date('', '<abbr class="published" title="2021-03-04T10:00:00Z">4 days ago</abbr>')).toBe(
      '2021-03-04T10:00:00.000Z',
    );
    expect(
      date('<script type="application/ld+json">{"@type":"NewsArticle","dateCreated":"2021-03-04T10:00:00Z"}</script>'),
    ).toBe('2021-03-04T10:00:00.000Z');
    expect(date(`<meta name="parsely-page" content='not json'>`)).toBeNull();
  });

  it("takes the handle a link to the author's page gives when nothing names the author better", () => {
    const author = (body: string) =>
      extractArticle(`<html><body><h1>Storm</h1>${body}${STORM_STORY}</body></html>`, 'https://w.example/storm').author;
    const byline =
      '<p class="post-meta">by <span class="author vcard"><a href="/author/whova/" rel="author">whova</a></span></p>';
    expect(author(byline)).toBe('whova');
    // A menu's link to an author page and a site account are not bylines; a name printed elsewhere comes first.
    expect(author('<ul class="menu"><li><a href="/author/partners/">News</a></li></ul>')).toBeNull();
    expect(author('<p class="post-meta"><a href="/author/jdadmin/">jdadmin</a></p>')).toBeNull();
    expect(author(`${byline}<p class="byline">By Jane Roe</p>`)).toBe('Jane Roe');
  });

  it('reads the name beside an e-mail address in a declared author, in either order', () => {
    const body =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const author = (declared: string) =>
      extractArticle(
        `<html><head><meta name="author" content="${declared}"></head><body><h1>Storm</h1>${body}</body></html>`,
        'https://m.example/a',
      ).author;
    expect(author('jane.doe@example.com (Jane Doe)')).toBe('Jane Doe');
    expect(author('Jane Doe (jane.doe@example.com)')).toBe('Jane Doe');
    expect(author('jane.doe@example.com')).toBeNull();
  });

  it('keeps every paragraph of a Chinese story, and its headline as the title', () => {
    const paragraphs = [
      '国家统计局今天发布数据显示，今年前三季度国内生产总值同比增长百分之五点二，经济运行总体回升向好。',
      '分产业看，第一产业增加值同比增长百分之四，第二产业增加值增长百分之四点四，第三产业增加值增长百分之六。',
      '专家表示，随着一系列稳增长政策措施持续发力，国内需求逐步恢复，全年目标有望顺利实现。',
    ];
    const html = `<html lang="zh-CN"><head><title>前三季度经济增长百分之五点二_新闻网</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/news">新闻</a><a href="/finance">财经</a></div><div class="main">
<h1>前三季度经济增长百分之五点二</h1><div class="info">2023年10月18日 10:05 来源：新闻网</div>
<div class="article">${paragraphs.map((text) => `<p>${text}</p>`).join('')}</div><h3>相关新闻</h3></div></body></html>`;
    const article = extractArticle(html, 'https://news.example.cn/2023/1018/a.html');
    expect(article.paragraphs.map((paragraph) => paragraph.text)).toEqual(paragraphs);
    expect(article.title).toBe('前三季度经济增长百分之五点二');
    // Without a headline, the <title> loses the site's name its separator joins without spaces.
    const title = (tag: string) =>
      extractArticle(
        `<html><head><title>${tag}</title><meta property="og:site_name" content="新浪新闻"></head><body><article>${paragraphs.map((text) => `<p>${text}</p>`).join('')}</article></body></html>`,
        'https://news.example.cn/a.html',
      ).title;
    expect(title('前三季度经济增长百分之五点二_新浪新闻')).toBe('前三季度经济增长百分之五点二');
    expect(title('新浪新闻｜前三季度经济增长百分之五点二')).toBe('前三季度经济增长百分之五点二');
    expect(title('前三季度经济增长：专家解读')).toBe('前三季度经济增长：专家解读');
  });

  it('reads an unmarked byline in German, Spanish and French as in English, and no name from a sentence', () => {
    const body = STORM_STORY;
    const author = (line: string) =>
      extractArticle(`<html><body><h1>Sturm</h1><p>${line}</p>${body}</body></html>`, 'https://u.example/a').author;
    expect(author('Von Hans Müller')).toBe('Hans Müller');
    expect(author('Veröffentlicht von Eva Schmidt')).toBe('Eva Schmidt');
    expect(author('Por María López')).toBe('María López');
    expect(author('Par Jean Dupont, à Paris')).toBe('Jean Dupont');
    expect(author('Von Anfang an war klar, dass es regnet')).toBeNull();
    expect(author('Door Check Gas Springs')).toBeNull();
    // The word for author and a colon, in any language: "Autor: Jan Kowalski", "Автор: Иван Петров".
    expect(author('Autor: Jan Kowalski')).toBe('Jan Kowalski');
    expect(author('Автор: Иван Петров')).toBe('Иван Петров');
    expect(author('Yazar: Ahmet Yılmaz')).toBe('Ahmet Yılmaz');
    expect(author('Author: Jane Roe')).toBe('Jane Roe');
    // Without the colon the word starts a sentence, not a byline.
    expect(author('Author Jane Roe wrote three books about the storm before this one')).toBeNull();
  });

  /** The author read off a page in `lang` with the byline's markup above its body. */
  const authorOnPageIn = (lang: string, byline: string, body: string) =>
    extractArticle(`<html lang="${lang}"><body><h1>News</h1>${byline}${body}</body></html>`, 'https://u.example/a')
      .author;

  it('reads Chinese, Japanese and Korean bylines, whose names have no capitals, and no desk or sentence for a name', () => {
    const body = Array.from(
      { length: 4 },
      (_, i) => `<p>第${i + 1}段。市政府周二宣布，新的公交线路将于下月开通，沿线居民对此表示欢迎，并希望尽快通车。</p>`,
    ).join('');
    const author = (lang: string, byline: string) => authorOnPageIn(lang, byline, body);
    expect(author('zh', '<p class="byline">作者：王小明</p>')).toBe('王小明');
    expect(author('zh', '<p>作者：王小明</p>')).toBe('王小明');
    expect(author('zh', '<div class="author">记者 王小明、李华</div>')).toBe('王小明, 李华');
    expect(author('ja', '<p class="author">文／山田太郎</p>')).toBe('山田太郎');
    expect(author('ko', '<p class="byline">홍길동 기자 hong@example.com</p>')).toBe('홍길동');
    expect(author('ko', '<p>김철수·이영희 선임기자</p>')).toBe('김철수, 이영희');
    // A marker with no name, a word that only starts like one, a desk, a sentence.
    expect(author('zh', '<p class="byline">作者：</p>')).toBeNull();
    expect(author('zh', '<p>文章来源：新华社</p>')).toBeNull();
    expect(author('ko', '<p class="byline">정치부 기자</p>')).toBeNull();
    expect(author('ko', '<p>이번 사건을 취재한 기자 출신</p>')).toBeNull();
  });

  it('reads the Dutch, Swedish, Norwegian and Danish "by" as a byline only on a page in that language', () => {
    const author = (lang: string, line: string) => authorOnPageIn(lang, `<p>${line}</p>`, STORM_STORY);
    expect(author('nl', 'Door Jan de Vries')).toBe('Jan de Vries');
    expect(author('nl-NL', 'Door: Jan de Vries')).toBe('Jan de Vries');
    expect(author('sv', 'Av Sven Svensson')).toBe('Sven Svensson');
    expect(author('nb', 'Av Kari Nordmann')).toBe('Kari Nordmann');
    expect(author('da', 'Af Lars Hansen')).toBe('Lars Hansen');
    // A sentence that starts with the word, and the word on a page in another language.
    expect(author('nl', 'Door Corona is alles anders geworden in de stad')).toBeNull();
    expect(author('en', 'Door Check Gas Springs')).toBeNull();
    expect(author('en', 'Av Sven Svensson')).toBeNull();
  });

  it('reads a byline marked by one of several itemprop names, the Russian "Текст:" and "Автор:" labels and others, up to the role', () => {
    const body =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const author = (byline: string) =>
      extractArticle(`<html><body><h1>Шторм</h1>${body}${byline}</body></html>`, 'https://w.example/a').author;
    expect(author('<p><span itemprop="author creator" class="info">Текст: Венера Ерофеева</span></p>')).toBe(
      'Венера Ерофеева',
    );
    expect(author('<p><span itemprop="author">Автор: Лида Буслаева</span></p>')).toBe('Лида Буслаева');
    const printed: [string, string][] = [
      // The same markers in Italian, Indonesian, Turkish, Hungarian, Finnish, Polish and Danish or Norwegian bylines.
      ['di Mario Rossi', 'Mario Rossi'],
      ['Oleh Budi Santoso', 'Budi Santoso'],
      ['Yazar: Ayşe Yılmaz', 'Ayşe Yılmaz'],
      ['Szerző: Kovács Anna', 'Kovács Anna'],
      ['Kirjoittaja: Matti Virtanen', 'Matti Virtanen'],
      ['Napisała Anna Nowak', 'Anna Nowak'],
      ['Forfatter: Lars Hansen', 'Lars Hansen'],
      // The Italian "scritto da", where "da" alone is part of a name.
      ['Scritto da Giulia Bianchi', 'Giulia Bianchi'],
      ['Por Ana da Silva', 'Ana da Silva'],
      // A printed byline ends at the role after the name and at the next credit.
      ['Jane Doe Staff Writer', 'Jane Doe'],
      ['Podium Staff', 'Podium Staff'],
      ['Reporting by Jane Doe; Editing by John Smith', 'Jane Doe'],
    ];
    for (const [byline, name] of printed) expect(author(`<p class="byline">${byline}</p>`), byline).toBe(name);
  });

  it('reads "Text:" bylines and takes no credit label for a name', () => {
    const body =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const article = (head: string, byline = '') =>
      extractArticle(
        `<html><head>${head}</head><body><h1>Sturm</h1>${byline}${body}</body></html>`,
        'https://t.example/a',
      );
    expect(article('<meta name="author" content="Text: Max Mustermann">').author).toBe('Max Mustermann');
    expect(article('', '<p class="byline">Text: Max Mustermann | Fotos: Erika Musterfrau</p>').author).toBe(
      'Max Mustermann',
    );
    // A credits line in the author meta tag names no author; the printed byline does.
    const credits =
      '<meta name="author" content="content: MarketingSherpa, design: Scott McDaniel, code: Steve Beger">';
    expect(article(credits).author).toBeNull();
    expect(article(credits, '<p class="byline">By Daniel Burstein</p>').author).toBe('Daniel Burstein');
    // What follows a bullet is no part of the name.
    expect(article('<meta name="author" content="Jane Roe • 5 min read">').author).toBe('Jane Roe');
  });

  it('names the author from a bio box when nothing else does, and no one from a menu entry of "authorities"', () => {
    const story =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const author = (bio: string) =>
      extractArticle(`<html><body><h1>Storm</h1>${story}${bio}</body></html>`, 'https://b.example/a').author;
    expect(
      author(
        '<div class="box"><p>About the Author:</p><p>Juliette Carreiro is a content creator with five years in SEO.</p></div>',
      ),
    ).toBe('Juliette Carreiro');
    expect(
      author('<section><h3>Über den Autor</h3><div><p>Hans Müller ist Redakteur in Berlin.</p></div></section>'),
    ).toBe('Hans Müller');
    // A bio that does not open with a name names no one; nor does a menu entry whose class says "authorities".
    expect(author("<h3>About the author</h3><p>I'm an Icelandic folklorist writing about nature.</p>")).toBeNull();
    expect(
      author(
        '<ul><li class="menu-item authorities-governing-board-actions"><a>Authorities Governing Board Actions</a></li></ul>',
      ),
    ).toBeNull();
  });

  it('reads every author of a list, and a surname that is also a month', () => {
    const body =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const people = [
      'Nicholas Collins',
      'Scott Munro',
      'Matt De La O',
      'Vineet Asthana',
      "Rory O'Sullivan",
      'Corey Maurer',
    ];
    const jsonLd = `<script type="application/ld+json">${JSON.stringify({
      '@type': 'Article',
      author: people.map((name) => ({ '@type': 'Person', name, url: null })),
    })}</script>`;
    expect(
      extractArticle(`<html><head>${jsonLd}</head><body>${body}</body></html>`, 'https://k.example/r').author,
    ).toBe(people.join(', '));
    const citations = people.map((name) => `<meta name="citation_author" content="${name}">`).join('');
    expect(
      extractArticle(`<html><head>${citations}</head><body>${body}</body></html>`, 'https://j.example/a').author,
    ).toBe(people.join(', '));
    const microdata = `<div itemprop="author" itemscope itemtype="https://schema.org/Person">Written By: <a itemprop="url" href="/tom-may/"><span itemprop="name">Tom May</span></a></div>`;
    expect(extractArticle(`<html><body>${microdata}${body}</body></html>`, 'https://c.example/a').author).toBe(
      'Tom May',
    );
    expect(
      extractArticle(
        `<html><body><p class="byline">By Tom May May 5, 2024</p>${body}</body></html>`,
        'https://c.example/b',
      ).author,
    ).toBe('Tom May');
  });

  it('takes the headline without a dateline block nested in its heading', () => {
    const html = `<html><head><title>Blockchain | Infuy</title></head><body><h1>Top Strategies for Blockchain Security<div class="divider"></div><h3><span class="posted-on">Posted on July 1, 2024 by infuy</span></h3></h1>
<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p></body></html>`;
    expect(extractArticle(html, 'https://infuy.example/a').title).toBe('Top Strategies for Blockchain Security');
    const story =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const headline = (h1: string) =>
      extractArticle(`<html><body><h1>${h1}</h1>${story}</body></html>`, 'https://h.example/a').title;
    // A line break is a space; a block that opens the heading is its text, a block after text among its siblings is not.
    expect(headline('Top MBA Programs<br>Your Guide')).toBe('Top MBA Programs Your Guide');
    expect(headline('<div>Storm hits the coast</div><div>Live updates</div>')).toBe('Storm hits the coast');
    expect(headline('<div><span>Storm hits</span><p>Live</p> the coast<div>Updates</div></div>')).toBe(
      'Storm hits the coast',
    );
    expect(headline('Storm hits<div>Live</div><br>the coast')).toBe('Storm hits the coast');
  });

  it('finds a byline under a label or in a closing heading, and a date glued to the tags after it', () => {
    const body =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const labelled = `<html><body><article>${body}<div class="content-item"><h3>Author</h3><p> Lisa D. Ellis</p></div></article></body></html>`;
    expect(extractArticle(labelled, 'https://h.example/a').author).toBe('Lisa D. Ellis');
    const closing = `<html><body><article>${body}<h3>Written by Cassidy Horton</h3><p>Cassidy Horton is a finance writer.</p></article></body></html>`;
    expect(extractArticle(closing, 'https://p.example/a').author).toBe('Cassidy Horton');
    // "By the numbers" heads a section: no author.
    expect(
      extractArticle(
        `<html><body><article>${body}<h3>By The Numbers</h3></article></body></html>`,
        'https://p.example/b',
      ).author,
    ).toBeNull();
    const dateBar = `<div class="meta date-section-header"><span>Posted on April 13, 2023</span><div class="tags"><span>Tags:</span><span><a href="/t/a">indexing</a></span></div></div>`;
    expect(
      extractArticle(`<html><body><article>${dateBar}${body}</article></body></html>`, 'https://s.example/a')
        .publishedAt,
    ).toBe('2023-04-13T00:00:00.000Z');
  });

  it('reads the author Yoast gives Twitter cards, a name beside its label, an "updated" date when it is the only one, a date beside a byline far from the headline', () => {
    const body =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const yoast = `<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Maria &amp; Katerina"><meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2" content="7 minutes">`;
    expect(extractArticle(`<html><head>${yoast}</head><body>${body}</body></html>`, 'https://y.example/a').author).toBe(
      'Maria & Katerina',
    );
    const readingTimeOnly = `<meta name="twitter:label1" content="Est. reading time"><meta name="twitter:data1" content="7 minutes">`;
    expect(
      extractArticle(`<html><head>${readingTimeOnly}</head><body>${body}</body></html>`, 'https://y.example/b').author,
    ).toBeNull();
    const beside = `<html><body><article>${body}<div class="tags"><div><strong>Contributors:</strong> Janet Loughrey </div></div></article></body></html>`;
    expect(extractArticle(beside, 'https://w.example/a').author).toBe('Janet Loughrey');
    const updatedOnly = `<html><body><h1>Best scooters</h1><p><a href="/chris">Chris McNamara</a> &sdot; Editor &sdot; <span class="small">Updated May 6, 2025</span></p>${body}</body></html>`;
    expect(extractArticle(updatedOnly, 'https://t.example/a').publishedAt).toBe('2025-05-06T00:00:00.000Z');
    const both = `<html><body><h1>Best scooters</h1><p>Updated May 6, 2025</p><p>April 2, 2024</p>${body}</body></html>`;
    expect(extractArticle(both, 'https://t.example/b').publishedAt).toBe('2024-04-02T00:00:00.000Z');
    // Far below the headline (a table of contents between), beside the byline.
    const contents = Array.from({ length: 80 }, (_, i) => `<li><a href="#s${i}">Section ${i}</a></li>`).join('');
    const besideByline = `<html><body><h1>How apps are made</h1><ul>${contents}</ul><div><p>Written by <a href="/blog/author/moses-kim">Moses Kim</a></p><p>April 8, 2024</p></div>${body}</body></html>`;
    expect(extractArticle(besideByline, 'https://s.example/a').publishedAt).toBe('2024-04-08T00:00:00.000Z');
  });

  it("reads a slashed date in the order of the page's declared locale, and none where the order is unknown", () => {
    const body =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const published = (lang: string, head = '') =>
      extractArticle(
        `<html lang="${lang}"><head>${head}</head><body><h1>Temporal atinge a costa</h1><small class="text-muted"><b>05/10/2018</b> - Publicado por: Clarissa Borba</small>${body}</body></html>`,
        'https://j.example/news/a',
      ).publishedAt;
    expect(published('pt-BR')).toBe('2018-10-05T00:00:00.000Z');
    expect(published('en-US')).toBe('2018-05-10T00:00:00.000Z');
    expect(published('en')).toBeNull();
    // Date.parse would read a meta tag's "05/10/2018 14:00" month first: the locale decides there too.
    expect(published('it', '<meta name="pubdate" content="05/10/2018 14:00">')).toBe('2018-10-05T00:00:00.000Z');
    expect(published('nl', '<meta name="pubdate" content="05-10-2018 14:00">')).toBe('2018-10-05T00:00:00.000Z');
  });

  it("finds a dateline printed as a wrapper's own text, and beside a headline that is no <h1>", () => {
    const story = Array.from(
      { length: 6 },
      (_, i) => `<p>Paragraph ${i} of the story: the storm reached the coast on Sunday night, officials said.</p>`,
    ).join('');
    const ownText = `<html><body><h1><a href="/">RogerBW's Blog</a></h1><fieldset><legend>Advent of Code 2025 week 2</legend>
20 December 2025
<div class="body">${story}</div></fieldset></body></html>`;
    expect(extractArticle(ownText, 'https://f.example/archive/a').publishedAt).toBe('2025-12-20T00:00:00.000Z');
    const noH1 = `<html lang="pt-BR"><head><title>Atendimento Domiciliar registra arrombamento em veículos</title></head><body><p>Menu</p><p>Sept. 3, 2017 was a long time ago</p><div><p class="titulo">Atendimento Domiciliar registra arrombamento em veículos</p><small class="text-muted"><b>05/10/2018</b> - Publicado por: Clarissa Borba</small>${story}</div></body></html>`;
    expect(extractArticle(noH1, 'https://j.example/news/a').publishedAt).toBe('2018-10-05T00:00:00.000Z');
  });

  it('takes a date whose label stands apart from it ("Last reviewed", "Last active") as an update, not the publication', () => {
    const story =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const published = (dates: string) =>
      extractArticle(`<html><body><h1>Storm</h1>${story}${dates}</body></html>`, 'https://t.example/a').publishedAt;
    const reviewed =
      '<div class="field"><div class="field__label">Date Last Reviewed:</div><div class="field__item"><time datetime="2025-04-14T12:00:00Z">April 14, 2025</time></div></div>';
    const posted = '<p class="meta">Posted <time datetime="2024-03-03T10:00:00Z">March 3, 2024</time></p>';
    expect(published(`${reviewed}${posted}`)).toBe('2024-03-03T00:00:00.000Z');
    expect(
      published('<span>Last active</span> <time datetime="2025-12-20T13:58:12Z">Dec 20, 2025</time>' + posted),
    ).toBe('2024-03-03T00:00:00.000Z');
  });

  it('reads the day a <time> prints where its UTC datetime falls on the day after or before', () => {
    const story =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const published = (time: string) =>
      extractArticle(`<html><body><h1>Storm</h1>${time}${story}</body></html>`, 'https://t.example/a').publishedAt;
    expect(published('<time datetime="2026-02-24T04:13:00Z">February 23, 2026</time>')).toBe(
      '2026-02-23T00:00:00.000Z',
    );
    // A datetime with the page's own offset names the local day already; so does one whose text is no date.
    expect(published('<time datetime="2026-02-24T04:13:00+01:00">February 23, 2026</time>')).toBe(
      '2026-02-24T00:00:00.000Z',
    );
    expect(published('<time datetime="2026-02-24T04:13:00Z">Tuesday</time>')).toBe('2026-02-24T00:00:00.000Z');
  });

  it("falls back on a line anywhere that labels its date, a publication over an update, never a comment's", () => {
    const body =
      '<article><p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p></article>';
    const published = (extra: string) =>
      extractArticle(`<html><body>${body}${extra}</body></html>`, 'https://l.example/a').publishedAt;
    expect(published('<footer><p>Last updated: November 13, 2025</p></footer>')).toBe('2025-11-13T00:00:00.000Z');
    expect(
      published('<p>Last updated: November 13, 2025</p><div class="meta"><span>Posted on March 3, 2024</span></div>'),
    ).toBe('2024-03-03T00:00:00.000Z');
    expect(published('<section class="comments"><p>Posted on March 3, 2024</p></section>')).toBeNull();
    expect(published('<p>Veröffentlicht am 31. Mai 2019</p>')).toBe('2019-05-31T00:00:00.000Z');
    expect(published('<p>Обновлено 5 марта 2021</p><p>Опубликовано 2 февраля 2021</p>')).toBe(
      '2021-02-02T00:00:00.000Z',
    );
    expect(published('<p>Aktualizováno 5. března 2021</p><p>Publikováno 1. května 2020</p>')).toBe(
      '2020-05-01T00:00:00.000Z',
    );
    expect(published('<p>Uppdaterad 2021-03-05</p><p>Publicerad 2020-05-01</p>')).toBe('2020-05-01T00:00:00.000Z');
    expect(published('<p>Updated daily with the latest figures from the agency.</p>')).toBeNull();
    // One stamp with both: the day after the publication label, whichever comes first.
    expect(published('<p>Updated March 9, 2024 | Published March 5, 2024</p>')).toBe('2024-03-05T00:00:00.000Z');
    expect(published('<p class="date">Updated: 9 March 2024 · Published: 5 March 2024</p>')).toBe(
      '2024-03-05T00:00:00.000Z',
    );
  });

  it('reads a date meta tag written as eight digits', () => {
    const html = `<html><head><meta name="pubdate" content="20240305"></head><body><article>
<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p></article></body></html>`;
    expect(extractArticle(html, 'https://m.example/a').publishedAt).toBe('2024-03-05T00:00:00.000Z');
  });

  it('reads a site\'s own name for its publication date tag, microdata\'s author tag, and a one-word byline after "By"', () => {
    const body =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const page = (head: string, inBody = '') => `<html><head>${head}</head><body>${inBody}${body}</body></html>`;
    const published = (head: string) => extractArticle(page(head), 'https://d.example/a').publishedAt;
    expect(published('<meta name="w-published-date" content="2025-05-27T06:03:43.274Z">')).toBe(
      '2025-05-27T06:03:43.274Z',
    );
    expect(published('<meta name="cxenseparse:publishtime" content="2024-03-01T10:00:00+01:00">')).toBe(
      '2024-03-01T10:00:00.000+01:00',
    );
    // Not a publication date: a switch, a publisher, a modification.
    expect(published('<meta name="auto-publish" content="true"><meta name="publisher" content="2020">')).toBeNull();
    expect(published('<meta name="last-modified-publish-date" content="2024-03-01">')).toBeNull();

    expect(
      extractArticle(page('<meta itemprop="author" content="annette thurmon">'), 'https://d.example/b').author,
    ).toBe('annette thurmon');
    const byline = (text: string) =>
      extractArticle(page('', `<span class="story-byline">${text}</span>`), 'https://d.example/c').author;
    expect(byline('Posted by <a href="/u/beauhd">BeauHD</a> on Friday December 19, 2025')).toBe('BeauHD');
    expect(byline('By Reuters')).toBe('Reuters');
    expect(byline('by admin')).toBeNull();
    // The name's own line, not the role or the company printed in the next block.
    const box = (inner: string) => extractArticle(page('', inner), 'https://d.example/e').author;
    expect(
      box('<div class="author-wrap"><div class="author-name">Stephen Jesudunsin</div><div>AI Writer</div></div>'),
    ).toBe('Stephen Jesudunsin');
    expect(
      box(
        '<div class="author"><div>Written by <span>Meghan Neville</span></div><div>Content Marketing Manager</div></div>',
      ),
    ).toBe('Meghan Neville');
    expect(
      box(
        '<div class="author-link"><p>Texas Mattress Makers</p><p>Reviewed by <a href="/r/y">Youval Meicler</a></p></div>',
      ),
    ).toBe('Youval Meicler');
    expect(box('<div class="byline"><div>Written By</div><div>Cazzy Magennis</div></div>')).toBe('Cazzy Magennis');
    expect(byline('Posted by clicking here')).toBeNull();
  });

  it('falls back to the title tag without the site name, a byline without "By", and the date in the URL', () => {
    const html = `<html><head><title>Storm hits the coast - The Daily</title><meta property="og:site_name" content="The Daily"></head>
<body><div class="story"><p class="byline">By Maria Rossi</p><p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p></div></body></html>`;
    const article = extractArticle(html, 'https://daily.example/2023/10/08/storm.html');
    expect(article.title).toBe('Storm hits the coast');
    expect(article.author).toBe('Maria Rossi');
    expect(article.publishedAt).toBe('2023-10-08T00:00:00.000Z');
    expect(article.language).toBeNull();
    const breadcrumb = `<html><head><title>Home › World › Storm hits the coast</title></head><body><div class="story">
<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p></div></body></html>`;
    expect(extractArticle(breadcrumb, 'https://daily.example/world/storm').title).toBe('Storm hits the coast');
  });

  it('restores characters the headline lost to "?" from the meta title, and keeps real question marks', () => {
    const story =
      '<div class="story"><p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p></div>';
    const page = (h1: string, ogTitle: string) =>
      `<html><head><meta property="og:title" content="${ogTitle}"></head><body><h1>${h1}</h1>${story}</body></html>`;
    const lost = page('Event Planning? Beginner? Guide', 'Event Planning: Beginner&#x27;s Guide');
    expect(extractArticle(lost, 'https://x.example/a').title).toBe("Event Planning: Beginner's Guide");
    const asked = page('What Is Next in 2025?', 'What Is Next in 2025 | The Daily');
    expect(extractArticle(asked, 'https://x.example/b').title).toBe('What Is Next in 2025?');
    // Many stand-ins are no mishap, and matching them all would backtrack past the time budget.
    const many = page(`Storm hits the coast${'?'.repeat(18)} now`, `Storm hits the coast${'y'.repeat(54)} later`);
    expect(extractArticle(many, 'https://x.example/c').title).toBe(`Storm hits the coast${'?'.repeat(18)} now`);
  });

  it("drops a section label before the headline's colon when the page's own title leaves it out", () => {
    const story =
      '<div class="story"><p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p></div>';
    const page = (h1: string, ogTitle: string) =>
      `<html><head><meta property="og:title" content="${ogTitle}"></head><body><h1>${h1}</h1>${story}</body></html>`;
    const labelled = page(
      '<strong>Blog:</strong> Best Agencies in 2025 (Ranked)',
      'Best Agencies in 2025 (Ranked) | Silverback',
    );
    expect(extractArticle(labelled, 'https://x.example/a').title).toBe('Best Agencies in 2025 (Ranked)');
    // The page's own title has it too: part of the headline.
    const kept = page('Exclusive: Storm hits the coast', 'Exclusive: Storm hits the coast | The Daily');
    expect(extractArticle(kept, 'https://x.example/b').title).toBe('Exclusive: Storm hits the coast');
    // A colon inside the headline, after more than a label's few words.
    const sentence = page('What the mayor said at the meeting: more buses', 'more buses | The Daily');
    expect(extractArticle(sentence, 'https://x.example/c').title).toBe(
      'What the mayor said at the meeting: more buses',
    );
  });

  it('knows an undeclared site name by the host: a subdomain spelled out, or initials', () => {
    const story =
      '<div class="story"><p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p></div>';
    const page = (title: string) => `<html><head><title>${title}</title></head><body>${story}</body></html>`;
    // The site's part is the longer one: the headline is not the longest part of the <title> here.
    expect(
      extractArticle(page('Book Reviews – The Writing Center'), 'https://writingcenter.unc.example/tips/').title,
    ).toBe('Book Reviews');
    expect(
      extractArticle(page('Coffee - University of Wisconsin-Stevens Point'), 'https://www.uwsp.example/coffee/').title,
    ).toBe('Coffee');
    // Initials that spell no label of the host do not make a site name: the longer part is then the headline.
    expect(
      extractArticle(page('Coffee - University of Wisconsin-Stevens Point'), 'https://www.cafe.example/').title,
    ).toBe('University of Wisconsin-Stevens Point');
  });

  it('reads the name in a dateline beside the headline, never the section label there', () => {
    const body =
      '<p>The storm reached the coast on Sunday night, and thousands of homes lost power, officials said.</p>';
    const piped = `<html><body><header><h1>How AI is changing hospitals</h1><p>Aaron Ricadela | Senior Writer | July 2, 2025</p></header>${body}</body></html>`;
    expect(extractArticle(piped, 'https://x.example/a').author).toBe('Aaron Ricadela');
    const spans = `<html><body><div class="meta"><span>Dec 17, 2025</span><span>Julian K. Arni</span></div><h1>Attested builds</h1>${body}</body></html>`;
    expect(extractArticle(spans, 'https://x.example/b').author).toBe('Julian K. Arni');
    const section = `<html><body><header><div class="dateline"><a class="category" href="/blog/category/mental-health">Mental Health</a><span>December 22, 2022</span></div><h1>Ten ways meditation helps</h1></header>${body}</body></html>`;
    expect(extractArticle(section, 'https://x.example/c').author).toBeNull();
  });

  it('splits br-separated text and marks headings', () => {
    const article = extractArticle(
      page(
        '<div class="body">First line of a long paragraph written with line breaks, as some sites do.<br><br>Second paragraph after the break, also long enough to be kept.<h2>A subheading</h2><p>More text follows the subheading in its own paragraph of the story.</p></div>',
      ),
      'https://x.example/a',
    );
    expect(article.paragraphs).toEqual([
      {
        text: 'First line of a long paragraph written with line breaks, as some sites do.',
        heading: false,
        listItem: false,
      },
      { text: 'Second paragraph after the break, also long enough to be kept.', heading: false, listItem: false },
      { text: 'A subheading', heading: true, listItem: false },
      {
        text: 'More text follows the subheading in its own paragraph of the story.',
        heading: false,
        listItem: false,
      },
    ]);
  });

  it('marks list items, a paragraph inside one included, and shows them as "- item" in the text', () => {
    const article = extractArticle(
      page(
        '<div class="body"><p>The website builder you choose affects your ability to do several things well:</p>' +
          '<ul><li>Customize your branding</li><li><p>Scale as your business grows</p></li><li>Keep pages fast <b>everywhere</b></li></ul>' +
          '<p>Many problems that small businesses meet later stem from this early choice of platform.</p></div>',
      ),
      'https://x.example/list',
    );
    expect(article.paragraphs.map((paragraph) => paragraph.listItem)).toEqual([false, true, true, true, false]);
    expect(article.text).toContain(
      'ability to do several things well:\n\n- Customize your branding\n\n- Scale as your business grows\n\n- Keep pages fast everywhere\n\nMany problems',
    );
    expect(article.paragraphs[1]!.text).toBe('Customize your branding');
  });

  it('applies per-site include and exclude rules', () => {
    const html = page(
      '<div class="lead"><p>Lead paragraph chosen by the site rule, not by the heuristics of the extractor.</p></div><div class="body"><p>Body one, which is long and full of commas, clauses, and other signs of prose.</p><p class="promo">Promo inside the body that only a site rule knows to remove from the text.</p></div>',
    );
    const article = extractArticle(html, 'https://x.example/a', { include: '.body', exclude: ['.promo'] });
    expect(article.paragraphs.map((paragraph) => paragraph.text)).toEqual([
      'Body one, which is long and full of commas, clauses, and other signs of prose.',
    ]);
  });

  it('uses JSON-LD articleBody when the markup holds no text (script-rendered pages)', () => {
    const html = `<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Rendered","articleBody":"First paragraph of a script-rendered story.\\nSecond paragraph of it."}</script></head><body><div id="root"></div></body></html>`;
    expect(extractArticle(html, 'https://x.example/a').paragraphs.map((paragraph) => paragraph.text)).toEqual([
      'First paragraph of a script-rendered story.',
      'Second paragraph of it.',
    ]);
    // A CMS that escapes the body's HTML entities in the JSON: they are read as the characters they stand for.
    const escaped = html.replace('Second paragraph of it.', 'You can&rsquo;t miss it &amp; its end.');
    expect(extractArticle(escaped, 'https://x.example/a').paragraphs.at(-1)?.text).toBe('You can’t miss it & its end.');
  });
});

describe('metadata and limits', () => {
  const body =
    '<p>Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beschlossen, nachdem die Debatte bis in die Nacht gedauert hatte und die Opposition sich nicht durchsetzen konnte.</p><p>Die Opposition kritisierte, dass der Plan zu stark bei den Schulen und bei den Straßen spare, die für die Stadt wichtig sind.</p>';

  it('reads modification time, lead image and canonical URL; zoneless times are UTC, a given offset stays', () => {
    const head = `<meta property="article:published_time" content="2023-05-01 08:30:00"><meta property="article:modified_time" content="2023-05-01T12:00:00+02:00">
<meta property="og:image" content="/img/lead.jpg"><link rel="canonical" href="/story?id=1">`;
    const article = extractArticle(page(body, head), 'https://daily.example/x/y.html');
    expect(article.publishedAt).toBe('2023-05-01T08:30:00.000Z');
    expect(article.modifiedAt).toBe('2023-05-01T12:00:00.000+02:00');
    // Written an hour and a half after midnight in India: the 19th there, though the 18th in UTC.
    const indian = extractArticle(
      page(body, '<meta property="article:published_time" content="2025-12-19T01:30:00+0530">'),
      'https://daily.example/x/z.html',
    );
    expect(indian.publishedAt).toBe('2025-12-19T01:30:00.000+05:30');
    expect(new Date(indian.publishedAt!).toISOString()).toBe('2025-12-18T20:00:00.000Z');
    expect(article.image).toBe('https://daily.example/img/lead.jpg');
    expect(article.canonicalUrl).toBe('https://daily.example/story?id=1');
  });

  it('detects the language from the text when the page declares none', () => {
    const html = `<html><head><title>Haushalt</title></head><body><article>${body}</article></body></html>`;
    expect(extractArticle(html, 'https://x.example/a').language).toBe('de');
  });

  it('refuses a page over the size cap and stops at the time budget', () => {
    expect(() => extractArticle(page(body), 'https://x.example/a', undefined, { maxHtmlChars: 1000 })).toThrow(
      /over the extraction cap of 1000/,
    );
    const huge = page(
      `${body}${'<div><p>filler paragraph text that goes on and on, with commas, for scoring.</p></div>'.repeat(20_000)}`,
    );
    expect(() => extractArticle(huge, 'https://x.example/a', undefined, { timeBudgetMs: 1 })).toThrow(
      /exceeded its 1 ms budget/,
    );
  });
});

describe.runIf(HAVE_CORPORA)('extractArticle on annotated news pages (ASB corpus)', () => {
  const truth = HAVE_CORPORA
    ? (JSON.parse(readFileSync(join(CORPORA_DIR, 'extraction/asb/ground-truth.json'), 'utf8')) as Record<
        string,
        { articleBody: string; url: string }
      >)
    : {};
  const ids = Object.keys(truth).sort().slice(0, 20);

  it('finds the opening of the marked article body on most pages', () => {
    let found = 0;
    for (const id of ids) {
      const html = gunzipSync(readFileSync(join(CORPORA_DIR, `extraction/asb/html_gz/${id}.html.gz`))).toString('utf8');
      const { text } = extractArticle(html, truth[id]!.url);
      const opening = truth[id]!.articleBody.replace(/\s+/g, ' ').trim().slice(0, 40);
      if (text.replace(/\s+/g, ' ').includes(opening)) found++;
    }
    // The full score is `pnpm bench extract`; this guards against a regression that loses whole articles.
    expect(found / ids.length).toBeGreaterThanOrEqual(0.7);
  });
});

describe.runIf(HAVE_CORPORA)('extractArticle on pages whose article scoring splits (WCXB and ASB corpora)', () => {
  const wcxbPage = (id: string) =>
    gunzipSync(readFileSync(join(CORPORA_DIR, `extraction/wcxb-dev/html_gz/${id}.html.gz`))).toString('utf8');

  it('finds a story written as bare text after a title paragraph, beside a sidebar of links (ASB)', () => {
    const file = readdirSync(join(CORPORA_DIR, 'extraction/asb/html_gz')).find((name) => name.startsWith('f6ac15a4'))!;
    const html = gunzipSync(readFileSync(join(CORPORA_DIR, 'extraction/asb/html_gz', file))).toString('utf8');
    const { text } = extractArticle(html, 'http://jaraguadosul.com.br/news/servi-o-de-atendimento-domiciliar');
    expect(text).toContain('A equipe do Serviço de Atendimento Domiciliar (SAD), do bairro Amizade, registrou');
    expect(text).not.toContain('Fevereiro');
  });

  it('keeps the posts a story embeds, and picks the story over a byline wrapper that ties with it on a class bonus (ASB)', () => {
    const asbPage = (prefix: string) => {
      const file = readdirSync(join(CORPORA_DIR, 'extraction/asb/html_gz')).find((name) => name.startsWith(prefix))!;
      return gunzipSync(readFileSync(join(CORPORA_DIR, 'extraction/asb/html_gz', file))).toString('utf8');
    };
    // The tweets sit in `<div class="social-media-embed">`, a class the chrome pass would remove.
    const embeds = extractArticle(asbPage('3f65af7b'), 'https://www.nj.com/entertainment/2019/11/meth.html').text;
    expect(embeds).toContain('Yes this is real and yes the state spent nearly half a million dollars on it');
    // `<div class="content-wrapper title">` around the byline scores as much as the story, whose tweets carry links.
    const tie = extractArticle(asbPage('6ebac05f'), 'https://thehill.com/blogs/blog-briefing-room/news/471031').text;
    expect(tie).toContain('Patrick Carlineo Jr., 55, could face up to 10 years in prison');
  });

  it('takes a recipe with its steps, one paragraph per list item, and a review guide with its review boxes', () => {
    const recipe = extractArticle(wcxbPage('4163'), 'https://www.kingarthurbaking.com/recipes/sourdough').text;
    expect(recipe).toContain('This delicious sourdough bread is wonderfully tangy');
    expect(recipe).toContain('Bake the bread for 45 to 55 minutes; it should have a pale brown, crisp top');
    const guide = extractArticle(
      wcxbPage('4064'),
      'https://uk.pcmag.com/computer-mice/127428/the-best-ergonomic-mice',
    ).text;
    expect(guide).toContain('Vertical mice, trackballs, unusual sculpts');
    expect(guide).toContain('The Razer Pro Click V2 Vertical offers a rated six months of battery life');
  });
});
