import { describe, expect, test } from 'vitest';
import { normalizeLookupUrl } from '../../src/model/lookup-url.js';

describe('normalizeLookupUrl: the link lookup rules of src/model/lookup-url.ts', () => {
  test.each([
    ['scheme and host lowercase', 'HTTPS://News.EXAMPLE/Path', 'https://news.example/Path'],
    ['default port dropped', 'https://news.example:443/a', 'https://news.example/a'],
    ['default http port dropped', 'http://news.example:80/a', 'http://news.example/a'],
    ['another port kept', 'https://news.example:8443/a', 'https://news.example:8443/a'],
    ['fragment dropped', 'https://news.example/a#section', 'https://news.example/a'],
    ['text fragment dropped', 'https://news.example/a#:~:text=aid', 'https://news.example/a'],
    ['trailing slash dropped', 'https://news.example/a/', 'https://news.example/a'],
    ['a bare host loses its slash', 'https://news.example/', 'https://news.example'],
    ['utm_* dropped, any case', 'https://news.example/a?utm_source=x&UTM_Medium=y&utm_campaign=z', 'https://news.example/a'],
    ['click IDs dropped', 'https://news.example/a?fbclid=1&gclid=2&msclkid=3&igshid=4&mc_eid=5&mc_cid=6&id=7', 'https://news.example/a?id=7'],
    ['remaining parameters sorted', 'https://news.example/a?b=2&a=1&c=3', 'https://news.example/a?a=1&b=2&c=3'],
    ['repeated names keep their order', 'https://news.example/a?x=2&a=0&x=1', 'https://news.example/a?a=0&x=2&x=1'],
    ['dot segments resolved', 'https://news.example/a/./b/../c', 'https://news.example/a/c'],
    ['unreserved escapes decoded', 'https://news.example/%7Euser', 'https://news.example/~user'],
    ['credentials dropped', 'https://user:secret@news.example/a', 'https://news.example/a'],
    ['an internationalised host in punycode', 'https://Bücher.example/a', 'https://xn--bcher-kva.example/a'],
    ['a non-ASCII path percent-encoded', 'https://news.example/文章', 'https://news.example/%E6%96%87%E7%AB%A0'],
  ])('%s', (_rule, input, expected) => {
    expect(normalizeLookupUrl(input)).toBe(expected);
  });

  test.each([
    ['http and https', 'http://news.example/a', 'https://news.example/a'],
    ['www. and the bare host', 'https://www.news.example/a', 'https://news.example/a'],
    ['the case of the path', 'https://news.example/A', 'https://news.example/a'],
    ['another parameter value', 'https://news.example/a?id=1', 'https://news.example/a?id=2'],
    ['index.html and its folder', 'https://news.example/a/index.html', 'https://news.example/a'],
  ])('not equated: %s', (_what, one, other) => {
    expect(normalizeLookupUrl(one)).not.toBe(normalizeLookupUrl(other));
  });

  test('idempotent', () => {
    for (const url of ['HTTPS://News.Example:443/x/?b=1&a=2&utm_source=s#f', 'https://news.example/文章?q=é']) {
      const once = normalizeLookupUrl(url);
      expect(normalizeLookupUrl(once)).toBe(once);
    }
  });
});
