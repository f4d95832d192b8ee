/**
 * Document files on disk, content-addressed: a file is named by the SHA-256 of its bytes, so
 * re-uploading the same bytes (as another version or another document) stores them once, and a
 * stored file never changes. PDF previews are rendered with poppler's `pdftoppm` and cached.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../shared/index.ts';

const run = promisify(execFile);

export class DocumentStore {
  constructor(private readonly dir: string) {}

  private pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async put(bytes: Buffer): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(sha256);
    if (!existsSync(path)) {
      await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
      // Write aside and rename, so a reader never sees half a file under the final name.
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    }
    return sha256;
  }

  get(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  /** Page `page` (1-based) of a stored PDF as PNG, at most 1200 px on the long side. */
  async pdfPage(sha256: string, page: number): Promise<Buffer> {
    const cacheDir = join(this.dir, 'previews');
    const cached = join(cacheDir, `${sha256}-${page}.png`);
    if (existsSync(cached)) return readFile(cached);
    await mkdir(cacheDir, { recursive: true });
    const prefix = join(cacheDir, `${sha256}-${page}-${process.pid}-${Date.now()}`);
    try {
      await run(
        'pdftoppm',
        [
          '-png',
          '-singlefile',
          '-f',
          String(page),
          '-l',
          String(page),
          '-scale-to',
          '1200',
          this.pathOf(sha256),
          prefix,
        ],
        { timeout: 30_000 },
      );
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT')
        throw new AppError('unavailable', 'PDF preview needs poppler-utils (pdftoppm) on the server');
      throw new AppError('validation', `page: no page ${page} in this PDF`, [
        { field: 'page', message: 'out of range or unreadable' },
      ]);
    }
    await rename(`${prefix}.png`, cached);
    return readFile(cached);
  }
}
