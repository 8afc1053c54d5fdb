// The dashboard page: reads the JSON API every few seconds and draws it. Plain DOM, no framework, no build step;
// every text from the API goes in through textContent, never as markup.

const REFRESH_MS = 5000;
const STAGE_COLORS = { 'feed-fetcher': '#2563eb', scraper: '#d97706', deduper: '#7c3aed', storage: '#059669' };

const $ = (selector) => document.querySelector(selector);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const number = (value) => element('td', { class: 'number' }, value.toLocaleString('en'));
const link = (url, text = url) => element('a', { href: url, rel: 'noreferrer noopener', target: '_blank' }, text);

function ago(iso) {
  if (!iso) return '–';
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return seconds < 0 ? `in ${duration(-seconds)}` : `${duration(seconds)} ago`;
}

function duration(seconds) {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 129600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

async function api(path, init) {
  const response = await fetch(`api/${path}`, init);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `${path}: HTTP ${response.status}`);
  return body;
}

function showError(error) {
  const box = $('#error');
  box.hidden = !error;
  box.textContent = error ? `Cannot read the pipeline's state: ${error.message}` : '';
}

function drawThroughput(stages) {
  const width = 900;
  const height = 200;
  const pad = { left: 40, right: 10, top: 10, bottom: 24 };
  const minutes = stages[0]?.completedPerMinute.length ?? 15;
  const peak = Math.max(1, ...stages.flatMap((stage) => stage.completedPerMinute));
  const x = (index) => pad.left + (index / Math.max(1, minutes - 1)) * (width - pad.left - pad.right);
  const y = (value) => height - pad.bottom - (value / peak) * (height - pad.top - pad.bottom);
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'jobs done per minute by stage');
  const add = (tag, attributes, text) => {
    const node = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  for (const value of [0, peak / 2, peak]) {
    add('line', {
      x1: pad.left,
      x2: width - pad.right,
      y1: y(value),
      y2: y(value),
      stroke: '#9ca3af',
      'stroke-width': 0.5,
    });
    add(
      'text',
      { x: pad.left - 6, y: y(value) + 4, 'text-anchor': 'end', 'font-size': 11, fill: 'currentColor' },
      Math.round(value),
    );
  }
  add('text', { x: pad.left, y: height - 6, 'font-size': 11, fill: 'currentColor' }, `${minutes - 1} min ago`);
  add(
    'text',
    { x: width - pad.right, y: height - 6, 'text-anchor': 'end', 'font-size': 11, fill: 'currentColor' },
    'now',
  );
  for (const stage of stages) {
    const points = stage.completedPerMinute.map((value, index) => `${x(index)},${y(value)}`).join(' ');
    add('polyline', {
      points,
      fill: 'none',
      stroke: STAGE_COLORS[stage.stage] ?? '#111',
      'stroke-width': 2,
    }).dataset.stage = stage.stage;
  }
  const legend = element(
    'p',
    { class: 'legend' },
    stages.map((stage) =>
      element(
        'span',
        {},
        element('i', { style: `background:${STAGE_COLORS[stage.stage] ?? '#111'}` }),
        `${stage.stage}: ${stage.completedPerMinute.reduce((sum, value) => sum + value, 0)} in 15 min`,
      ),
    ),
  );
  $('#throughput').replaceChildren(svg, legend);
}

function drawQueues(stages) {
  $('#queues tbody').replaceChildren(
    ...stages.map((stage) =>
      element(
        'tr',
        { 'data-stage': stage.stage },
        element('td', {}, stage.stage),
        number(stage.waiting),
        number(stage.active),
        number(stage.delayed),
        number(stage.scheduled),
        number(stage.done),
        number(stage.failed),
      ),
    ),
  );
}

async function retry(group, button) {
  button.disabled = true;
  try {
    const { retried } = await api('retry', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stage: group.stage, reason: group.reason }),
    });
    button.textContent = `${retried} re-queued`;
    await refresh();
  } catch (error) {
    showError(error);
    button.disabled = false;
  }
}

function drawFailures(groups) {
  $('#no-failures').hidden = groups.length > 0;
  $('#failures').hidden = groups.length === 0;
  $('#failures tbody').replaceChildren(
    ...groups.map((group) => {
      const button = element('button', { type: 'button', class: 'retry' }, 'Retry');
      button.addEventListener('click', () => retry(group, button));
      return element(
        'tr',
        { 'data-stage': group.stage },
        element('td', {}, group.stage),
        element('td', { title: group.example }, group.reason),
        number(group.count),
        element(
          'td',
          { class: 'url' },
          group.exampleUrls.flatMap((url, index) => [index ? element('br') : null, link(url)]),
        ),
        element('td', {}, button),
      );
    }),
  );
}

function drawFeeds(feeds) {
  $('#feeds tbody').replaceChildren(
    ...feeds.map((feed) =>
      element(
        'tr',
        { 'data-url': feed.url },
        element('td', { class: `status-${feed.status.replace(' ', '-')}` }, feed.status),
        element(
          'td',
          { class: 'url' },
          feed.name && feed.name !== feed.url ? [element('strong', {}, feed.name), element('br')] : null,
          link(feed.url),
          feed.lastError && feed.consecutiveFailures > 0 ? element('div', { class: 'meta' }, feed.lastError) : null,
        ),
        element('td', { title: feed.lastPolledAt ?? '' }, ago(feed.lastPolledAt)),
        element('td', { class: 'number' }, feed.lastPoll?.httpStatus ?? '–'),
        element('td', { class: 'number' }, feed.lastPoll?.items ?? '–'),
        element('td', { class: 'number' }, feed.lastPoll?.newItems ?? '–'),
        number(feed.consecutiveFailures),
        element('td', { title: feed.nextPollAt ?? '' }, feed.nextPollAt ? ago(feed.nextPollAt) : '–'),
      ),
    ),
  );
}

function paragraphView(paragraph) {
  if (!paragraph.duplicateOf) return element('p', {}, paragraph.text);
  const original = paragraph.duplicateOf;
  return element(
    'p',
    { class: 'duplicate' },
    element('mark', {}, paragraph.text),
    ' ',
    element(
      'span',
      { class: 'meta' },
      '↳ repeats ',
      link(original.url, `paragraph ${original.index + 1} of ${original.url}`),
      ` (similarity ${original.similarity})`,
    ),
  );
}

function drawArticles(articles) {
  // The refresh keeps what the reader folded or unfolded.
  const unfolded = new Map(
    [...document.querySelectorAll('#articles article')].map((node) => [
      node.dataset.url,
      node.querySelector('details').open,
    ]),
  );
  $('#articles').replaceChildren(
    ...articles.map((article) =>
      element(
        'article',
        { 'data-url': article.url },
        element('h3', {}, link(article.url, article.title || article.url)),
        element(
          'p',
          { class: 'meta' },
          [article.siteName ?? article.feedName, article.author, article.publishedAt?.slice(0, 10)]
            .filter(Boolean)
            .join(' · '),
        ),
        article.duplicateOf
          ? element(
              'p',
              { class: 'republished' },
              'Republishes ',
              link(article.duplicateOf.url),
              ` (similarity ${article.duplicateOf.similarity})`,
            )
          : null,
        // A republication repeats every paragraph: folded, so the list stays readable.
        element(
          'details',
          { open: (unfolded.get(article.url) ?? !article.duplicateOf) ? '' : null },
          element('summary', { class: 'meta' }, `${article.paragraphs.length} paragraphs`),
          article.paragraphs.map(paragraphView),
        ),
      ),
    ),
  );
}

async function search(event) {
  event.preventDefault();
  const query = $('#search').value;
  try {
    const hits = await api(`search?q=${encodeURIComponent(query)}`);
    $('#search-results').replaceChildren(
      ...(hits.length === 0
        ? [element('li', { class: 'quiet' }, `Nothing stored matches ${query}.`)]
        : hits.map((hit) =>
            element('li', {}, link(hit.url, hit.title || hit.url), element('div', { class: 'meta' }, hit.snippet)),
          )),
    );
  } catch (error) {
    showError(error);
  }
}

async function refresh() {
  try {
    const [overview, failures, feeds, articles] = await Promise.all([
      api('overview'),
      api('failures'),
      api('feeds'),
      api('articles?limit=20'),
    ]);
    $('#stored-articles').textContent = overview.storedArticles.toLocaleString('en');
    $('#updated').textContent = `updated ${new Date(overview.generatedAt).toLocaleTimeString()}`;
    drawThroughput(overview.stages);
    drawQueues(overview.stages);
    drawFailures(failures);
    drawFeeds(feeds);
    drawArticles(articles);
    showError(null);
    document.body.dataset.loaded = 'true';
  } catch (error) {
    showError(error);
  }
}

$('#search-form').addEventListener('submit', search);
await refresh();
setInterval(refresh, REFRESH_MS);
