import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { precacheManifest } from '../scripts/pwa-plugin.ts';

const dir = mkdtempSync(join(tmpdir(), 'precache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(name: string, text: string): void {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
}

describe('precacheManifest', () => {
  put('index.html', '<html>');
  put('assets/app-1.js', 'code');
  put('assets/app-1.js.map', 'map');
  put('model/fast/group1-shard1of1.bin', 'weights');
  put('bench/browser/index.html', 'bench');
  put('sw.js', 'old worker');

  it('lists every file of the build under the base, but maps, the bench page and itself', () => {
    expect(precacheManifest(dir, '/app/').map((e) => e.url)).toEqual(['/app/assets/app-1.js', '/app/index.html', '/app/model/fast/group1-shard1of1.bin']);
  });

  it('revisions are content hashes, so only changed files are fetched again', () => {
    const revision = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
    const before = precacheManifest(dir, '/');
    expect(before.find((e) => e.url === '/index.html')!.revision).toBe(revision('<html>'));
    put('index.html', '<html lang="en">');
    const after = precacheManifest(dir, '/');
    expect(after.find((e) => e.url === '/index.html')!.revision).not.toBe(before.find((e) => e.url === '/index.html')!.revision);
    expect(after.find((e) => e.url === '/assets/app-1.js')).toEqual(before.find((e) => e.url === '/assets/app-1.js'));
  });
});
