/** Where a call's recording lives: `<recordings>/YYYY/MM/DD/<cdrId>.wav` (UTC date of the answer). */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function recordingFile(
  recordingsDir: string,
  cdrId: string,
  answeredAt: Date,
): { abs: string; rel: string } {
  const rel = join(
    String(answeredAt.getUTCFullYear()),
    String(answeredAt.getUTCMonth() + 1).padStart(2, '0'),
    String(answeredAt.getUTCDate()).padStart(2, '0'),
    `${cdrId}.wav`,
  );
  const abs = join(recordingsDir, rel);
  mkdirSync(dirname(abs), { recursive: true });
  return { abs, rel };
}
