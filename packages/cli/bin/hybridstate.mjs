#!/usr/bin/env node
// No build step: run the TypeScript entry through tsx's loader, in this process.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
