import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const index = fileURLToPath(new URL('./index.ts', import.meta.url));

describe('media worker entry', () => {
  it('starts under `node --import tsx` (the production runtime) as well as vitest', async () => {
    const script = `
      const { MediaEngine } = await import(${JSON.stringify(pathToFileURL(index).href)});
      const media = await MediaEngine.start({ bindAddress: '127.0.0.1', advertiseAddress: '127.0.0.1', portMin: 21400, portMax: 21409 });
      const ep = await media.createEndpoint();
      const offer = await media.offer(ep.id);
      await media.stop();
      console.log(JSON.stringify({ port: ep.port, ok: offer.includes('m=audio ' + ep.port) }));
    `;
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-entry-'));
    const file = join(dir, 'smoke.mjs');
    writeFileSync(file, script);
    const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', file],
        { timeout: 20_000, cwd: repoRoot },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
    }).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(JSON.parse(stdout.trim())).toEqual({ port: 21400, ok: true });
  });
});
