import { ImportProgress } from './customer-import.service';
import { ImportProgressBar } from './import-progress';

const at = (bytesRead: number, rows: number, done = false): ImportProgress => ({
  bytesRead,
  totalBytes: 1000,
  rows,
  accepted: Math.max(rows - 1, 0),
  rejected: 1,
  elapsedMs: 2000,
  done,
});

describe('ImportProgressBar', () => {
  it('without a terminal, prints one line per 5% of the file and the final one', () => {
    const lines: string[] = [];
    const bar = new ImportProgressBar({ write: (s: string) => lines.push(s) }, false);
    for (let b = 0; b <= 1000; b += 10) bar.update(at(b, b * 2));
    bar.update(at(1000, 2000, true));
    bar.finish();
    expect(lines).toHaveLength(21 + 1);
    expect(lines[0]).toBe('  0%  0 rows  0 rows/s  accepted 0  rejected 1\n');
    expect(lines[1]).toBe('  5%  100 rows  50 rows/s  accepted 99  rejected 1\n');
    expect(lines[21]).toBe('100%  2,000 rows  1,000 rows/s  accepted 1,999  rejected 1\n');
  });

  it('on a terminal, redraws one line with a bar and ends it', () => {
    const out: string[] = [];
    const bar = new ImportProgressBar({ write: (s: string) => out.push(s), isTTY: true, columns: 120 });
    bar.update(at(500, 1000));
    bar.update(at(600, 1200)); // within 100 ms: skipped
    bar.update(at(1000, 2000, true));
    bar.finish();
    expect(out).toEqual([
      `\r[${'#'.repeat(15)}${'-'.repeat(15)}]  50%  1,000 rows  500 rows/s  accepted 999  rejected 1\x1b[K`,
      `\r[${'#'.repeat(30)}] 100%  2,000 rows  1,000 rows/s  accepted 1,999  rejected 1\x1b[K`,
      '\n',
    ]);
  });

  it('counts rows when the size is unknown', () => {
    const lines: string[] = [];
    const bar = new ImportProgressBar({ write: (s: string) => lines.push(s) }, false);
    for (const rows of [0, 5000, 10_000, 15_000, 20_000]) bar.update({ ...at(0, rows), totalBytes: null });
    expect(lines.map((l) => l.split('  ')[0])).toEqual(['0 rows', '10,000 rows', '20,000 rows']);
  });
});
