import { describe, expect, it } from 'vitest';
import { extractArticle } from '../src/index.ts';
import { limitNesting } from '../src/limit-nesting.ts';

const STORY = 'Mass protests have continued in the capital for a third week, with thousands marching on Sunday.';

describe('limitNesting', () => {
  it('leaves ordinary markup alone, unclosed paragraphs and list items included', () => {
    const html =
      '<html><body><div><p>One<p>Two<ul><li>a<li>b</ul><br><img src=x><script>"<div>"</script><!-- <div> --></div></body></html>';
    expect(limitNesting(html, 3)).toBe(html);
  });

  it('drops the tags nested below the limit with their closing tags, keeping the text', () => {
    const html = `${'<div>'.repeat(6)}deep text${'</div>'.repeat(6)}<p>after</p>`;
    expect(limitNesting(html, 2)).toBe('<div><div>deep text</div></div><p>after</p>');
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
      expect(limitNesting(html, 128)).toContain('Buried words survive');
    },
  );
});
