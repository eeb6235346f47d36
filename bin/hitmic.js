#!/usr/bin/env node
'use strict';
// The `hitmic` command. The TypeScript sources compile to dist/node (npm run build:main).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'node', 'src-main', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write("hitmic: not built yet — run 'npm run build' in " + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
require(entry)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
