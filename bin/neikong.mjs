#!/usr/bin/env node
// The `neikong` command (npx neikong ... from the project folder): runs src/cli.ts through tsx.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli.ts');
process.exitCode = await run(process.argv.slice(2));
