/**
 * Decoded prompts, kept so an IVR that plays the same greeting on every call reads and
 * converts the file once. Entries are checked against the file's mtime and size on each use
 * (a re-recorded prompt is picked up) and evicted least-recently-used beyond a sample budget.
 */
import { stat } from 'node:fs/promises';
import { MediaError } from './media-errors.ts';
import { readWavFile } from './wav.ts';

interface Entry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly pcm: Int16Array;
}

/** 30 minutes of 8 kHz audio (about 29 MB of PCM16). */
const DEFAULT_BUDGET_SAMPLES = 8000 * 60 * 30;
/** Longest single prompt we load (also bounds memory per play request). */
const MAX_PROMPT_SAMPLES = 8000 * 60 * 20;

export class PromptCache {
  private readonly entries = new Map<string, Entry>();
  private totalSamples = 0;

  constructor(private readonly budgetSamples: number = DEFAULT_BUDGET_SAMPLES) {}

  async load(path: string): Promise<Int16Array> {
    let info: { mtimeMs: number; size: number };
    try {
      info = await stat(path);
    } catch (error) {
      throw new MediaError('file_unreadable', `cannot read ${path}: ${(error as Error).message}`);
    }
    const cached = this.entries.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.entries.delete(path);
      this.entries.set(path, cached);
      return cached.pcm;
    }
    const pcm = await readWavFile(path);
    if (pcm.length > MAX_PROMPT_SAMPLES)
      throw new MediaError('unsupported_wav', `${path} is longer than 20 minutes`);
    this.store(path, { mtimeMs: info.mtimeMs, size: info.size, pcm });
    return pcm;
  }

  private store(path: string, entry: Entry): void {
    const old = this.entries.get(path);
    if (old) {
      this.totalSamples -= old.pcm.length;
      this.entries.delete(path);
    }
    this.entries.set(path, entry);
    this.totalSamples += entry.pcm.length;
    for (const [key, value] of this.entries) {
      if (this.totalSamples <= this.budgetSamples || key === path) break;
      this.entries.delete(key);
      this.totalSamples -= value.pcm.length;
    }
  }
}
