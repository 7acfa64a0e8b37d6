#!/usr/bin/env node
// The published bin must be plain JavaScript: npx runs it with node, which cannot load TypeScript by itself.
require('tsx/cjs');
require('./cli.ts');
