#!/usr/bin/env node
// The `coffer` command: runs the TypeScript CLI through tsx, so it works right after `npm install`.
require('tsx/cjs')
require('./index.ts').run()
