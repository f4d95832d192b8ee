// Entry point of the media worker thread. A worker starts with a fresh module loader, so the
// TypeScript loader is registered here before the worker module is imported. This works the
// same under vitest, `tsx` and `node --import tsx` (registering twice is harmless).
import { register } from 'tsx/esm/api';

register();
await import('./media-worker.ts');
