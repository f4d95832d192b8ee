#!/usr/bin/env node
// The `switchyard` command. TypeScript sources run through tsx's loader (DESIGN §3).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
