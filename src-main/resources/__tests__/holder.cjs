'use strict';
// Test harness: one process that takes a reservation through the compiled library, says so on
// stdout, holds it until its stdin closes (or HOLD_MS elapses), releases, and says so.
// Usage: node holder.cjs '<AcquireOptions as JSON>' [HOLD_MS]
// Lines on stdout: `granted <epochMs> <key> <ticket>`, `released <epochMs>`, or `error <name> <message>`.
const path = require('node:path');
const { acquireReservation } = require(
  path.join(__dirname, '../../../dist/node/src-main/resources/index.js'),
);

const opts = JSON.parse(process.argv[2]);
const holdMs = process.argv[3] ? Number(process.argv[3]) : null;
const log = { info: () => {}, warn: (m) => process.stderr.write(`warn: ${m}\n`) };

acquireReservation({ ...opts, log, onWait: (s) => process.stdout.write(`waiting ${s.position}\n`) }).then(
  (r) => {
    process.stdout.write(`granted ${Date.now()} ${r.key} ${r.ticket}\n`);
    const done = () =>
      r.release().then(() => {
        process.stdout.write(`released ${Date.now()}\n`);
        process.exit(0);
      });
    if (holdMs !== null) setTimeout(done, holdMs);
    else {
      process.stdin.on('end', done);
      process.stdin.resume();
    }
  },
  (e) => {
    process.stdout.write(`error ${e.name} ${e.message}\n`);
    process.exit(3);
  },
);
