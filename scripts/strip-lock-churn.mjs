// Removes the other-platform optional binaries that `npm install` adds to package-lock.json on this
// machine but that the registry cannot serve (npm ci then fails): compares with the committed lockfile and
// drops new entries that carry an os/cpu restriction. Usage: node scripts/strip-lock-churn.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const before = JSON.parse(execFileSync('git', ['show', 'HEAD:package-lock.json'], { maxBuffer: 1 << 28 })).packages;
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const dropped = Object.keys(lock.packages).filter(
  (key) => !(key in before) && (lock.packages[key].os || lock.packages[key].cpu) && !/linux-x64/.test(key),
);
for (const key of dropped) delete lock.packages[key];
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`dropped ${dropped.length} other-platform entries`);
