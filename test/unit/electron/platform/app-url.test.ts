import path from 'node:path';
import { expect, test } from 'vitest';
import { contentTypeFor, resolveAppUrl } from '../../../../electron/platform/app-url';

const root = path.resolve('/opt/quicksend/dist/renderer');

test('maps app://quicksend paths into the renderer folder', () => {
  expect(resolveAppUrl('app://quicksend/', root)).toBe(path.join(root, 'index.html'));
  expect(resolveAppUrl('app://quicksend/index.html', root)).toBe(path.join(root, 'index.html'));
  expect(resolveAppUrl('app://quicksend/assets/index-abc.js', root)).toBe(path.join(root, 'assets/index-abc.js'));
});

test.each(['app://quicksend/../../etc/passwd', 'app://quicksend/%2e%2e/%2e%2e/etc/passwd'])(
  'dot segments in %s are normalised by the URL parser and stay inside the folder',
  (url) => {
    expect(resolveAppUrl(url, root)).toBe(path.join(root, 'etc/passwd'));
  },
);

test.each([
  'app://quicksend/assets/..%2f..%2f..%2fsecret',
  'app://quicksend/a%5c..%5c..%5cwin.ini',
  'app://quicksend/x%00.html',
  'app://other/index.html',
  'https://quicksend/index.html',
  'not a url',
  'app://quicksend/%E0%A4%A',
])('refuses %s', (url) => {
  expect(resolveAppUrl(url, root)).toBeNull();
});

test('content types', () => {
  expect(contentTypeFor('a.js')).toMatch(/javascript/);
  expect(contentTypeFor('a.html')).toMatch(/html/);
  expect(contentTypeFor('a.exe')).toBe('application/octet-stream');
});
