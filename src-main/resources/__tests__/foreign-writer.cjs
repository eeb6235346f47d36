'use strict';
// Test harness: another program on the machine that rewrites a booking file the way HiTMicTools'
// ReserveResource does (reference §6.1), without our lock:
//   read:  open + json.load; on a parse error retry 3 times 0.1 s apart, then use the default
//          {"bookings": {}, "last_cleanup": now} (that fallback is counted: it would wipe every booking);
//   write: json.dump(indent=2) to <file>.tmp.<pid>, fsync, os.rename over the file.
// Every PERIOD_MS it reads the file, waits GAP_MS (HiTMicTools' own work between its read and its
// write: its fsync, its GC), refreshes its own booking and writes back the copy it read, so
// whatever others wrote in the gap is lost and whatever they removed in the gap comes back.
// Usage: node foreign-writer.cjs FILE PERIOD_MS GAP_MS [GB]
// Prints `started` once its booking is in, and on stdin's end one JSON line
// {rounds, tornReads, defaults} and exits.
const fs = require('node:fs');

const [file, periodArg, gapArg, gbArg] = process.argv.slice(2);
const periodMs = Number(periodArg);
const gapMs = Number(gapArg);
const gb = gbArg === undefined ? 1 : Number(gbArg);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms) => Atomics.wait(sleeper, 0, 0, ms);
const counts = { rounds: 0, tornReads: 0, defaults: 0 };

function readBookings() {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      if (e.code === 'ENOENT') return { bookings: {}, last_cleanup: Date.now() / 1000 };
      counts.tornReads++;
      sleep(100);
    }
  }
  counts.defaults++;
  return { bookings: {}, last_cleanup: Date.now() / 1000 };
}

function writeBookings(data) {
  const tmp = `${file}.tmp.${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  fs.writeSync(fd, JSON.stringify(data, null, 2));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

let stop = false;
process.stdin.on('end', () => (stop = true));
process.stdin.resume();

const first = readBookings();
first.bookings[String(process.pid)] = { memory_gb: gb, timestamp: Date.now() / 1000, pid: process.pid };
writeBookings(first);
process.stdout.write('started\n');

function round() {
  if (stop) {
    process.stdout.write(`${JSON.stringify(counts)}\n`);
    process.exit(0);
  }
  const data = readBookings();
  sleep(gapMs);
  data.bookings[String(process.pid)] = { memory_gb: gb, timestamp: Date.now() / 1000, pid: process.pid };
  writeBookings(data);
  counts.rounds++;
  // Yield to the event loop between rounds so the end of stdin is noticed.
  setTimeout(round, Math.max(0, periodMs - gapMs));
}
round();
