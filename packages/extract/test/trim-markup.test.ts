import { describe, expect, it } from 'vitest';
import { extractArticle } from '../src/index.ts';
import { trimMarkup } from '../src/trim-markup.ts';

const STORY = 'Mass protests have continued in the capital for a third week, with thousands marching on Sunday.';

describe('trimMarkup', () => {
  it('leaves ordinary markup alone, unclosed paragraphs and list items included', () => {
    const html =
      '<html><body><div><p>One<p>Two<ul><li>a<li>b</ul><br><img src=x><textarea>"<div>"</textarea><!-- <div> --></div></body></html>';
    expect(trimMarkup(html, 3)).toBe(html);
  });

  it('empties scripts and style sheets, but not JSON-LD, the title or a text area', () => {
    const jsonLd = '{"@type":"NewsArticle","headline":"<div>"}';
    const html =
      `<html><head><title>A <div> title</title><style>div { color: red }</style>` +
      `<script type="application/ld+json">${jsonLd}</script><script type="application/ld&#x2B;json">${jsonLd}</script>` +
      `<SCRIPT src="/app.js"></SCRIPT><script>document.write("<div>")</script></head>` +
      `<body><div><textarea>"<div>"</textarea><script type="text/javascript">var a = "</div>";</script></div></body></html>`;
    expect(trimMarkup(html, 3)).toBe(
      `<html><head><title>A <div> title</title><style></style>` +
        `<script type="application/ld+json">${jsonLd}</script><script type="application/ld&#x2B;json">${jsonLd}</script>` +
        `<SCRIPT src="/app.js"></SCRIPT><script></script></head>` +
        `<body><div><textarea>"<div>"</textarea><script type="text/javascript"></script></div></body></html>`,
    );
  });

  it('reads quoted ">" and "/>", unclosed quotes, comments and scripts, and closing tags in any case', () => {
    // Self-closing only if its quoted ">" is read as a value: the next div is then at depth 1, not dropped.
    expect(trimMarkup('<div title="a>b"/><div>kept</div>', 1)).toBe('<div title="a>b"/><div>kept</div>');
    // A quote that never closes makes its "tag" text: the real divs after it count from depth 0.
    expect(trimMarkup('<div title="oops><div>x<div>y</div></div>', 1)).toBe('<div title="oops><div>xy</div>');
    expect(trimMarkup('<p>a</p><SCRIPT>var a = "<div>";</SCRIPT ><div>b</div>', 0)).toBe('<p>a</p><SCRIPT></SCRIPT >b');
    // <scripts> is no script; a script that never closes is emptied to the end.
    expect(trimMarkup('<scripts>a</scripts><div><script>never closed <div>', 1)).toBe(
      '<scripts>a</scripts><div><script>',
    );
    expect(trimMarkup('<div><!-- never closed <div><div>', 1)).toBe('<div><!-- never closed <div><div>');
  });

  it('empties inline SVG images, which hold no text of the page', () => {
    const html =
      '<p>Share <svg viewBox="0 0 24 24"><title>icon</title><path d="M12 2L2 7l10 5 10-5z"/></svg> this</p>' +
      '<svg class="logo"/><p>after</p>';
    expect(trimMarkup(html, 128)).toBe(
      '<p>Share <svg viewBox="0 0 24 24"></svg> this</p><svg class="logo"/><p>after</p>',
    );
  });

  it('drops the tags nested below the limit with their closing tags, keeping the text', () => {
    const html = `${'<div>'.repeat(6)}deep text${'</div>'.repeat(6)}<p>after</p>`;
    expect(trimMarkup(html, 2)).toBe('<div><div>deep text</div></div><p>after</p>');
  });
});

describe('extractArticle on pathologically deep markup', () => {
  it.each([35_000, 100_000])(
    'finds the story beside %i nested divs within its time budget, and keeps text buried deep inside',
    (depth) => {
      const html = `<html><head><title>Deep</title></head><body><article><p>${STORY}</p><p>${STORY.replace('third', 'fourth')}</p></article>
      ${'<div>'.repeat(depth)}<p>Buried words survive the flattening of this absurdly deep page.</p>${'</div>'.repeat(depth)}</body></html>`;
      const article = extractArticle(html, 'https://deep.example/story');
      expect(article.paragraphs.map((paragraph) => paragraph.text)).toContain(STORY);
      // The deep subtree's words are still in the document the extractor reads (they may or may not be main text).
      expect(trimMarkup(html, 128)).toContain('Buried words survive');
    },
  );
});
