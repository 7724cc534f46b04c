import type { ImportProgress } from './customer-import.service';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Progress of an import on stderr. On a terminal: one line redrawn at most
 * ten times a second (bar and percentage by bytes, rows/s, accepted and
 * rejected). Otherwise (a log file, CI): one line per 5% of the file, or per
 * 10,000 rows when its size is unknown.
 */
export class ImportProgressBar {
  private lastDraw = 0;
  private lastStep = -1;
  private drawn = false;
  private doneShown = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly tty = !!out.isTTY,
  ) {}

  update(p: ImportProgress): void {
    if (this.tty) {
      const now = Date.now();
      if (!p.done && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.out.write(`\r${this.line(p, true)}\x1b[K`);
      this.drawn = true;
      return;
    }
    const step = p.totalBytes ? Math.floor((100 * percent(p)) / 5) : Math.floor(p.rows / 10_000);
    if (step <= this.lastStep && !(p.done && !this.doneShown)) return;
    this.lastStep = step;
    if (p.done) this.doneShown = true;
    this.out.write(`${this.line(p, false)}\n`);
  }

  /** Ends the redrawn line so that what follows starts on its own. */
  finish(): void {
    if (this.tty && this.drawn) this.out.write('\n');
    this.drawn = false;
  }

  private line(p: ImportProgress, bar: boolean): string {
    const secs = p.elapsedMs / 1000;
    const rate = secs > 0 ? p.rows / secs : 0;
    const parts: string[] = [];
    if (p.totalBytes) {
      const pct = percent(p);
      const label = `${(100 * pct).toFixed(0).padStart(3)}%`;
      if (bar) {
        const width = Math.max(10, Math.min(30, (this.out.columns ?? 100) - 90));
        const full = Math.round(pct * width);
        parts.push(`[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${label}`);
      } else {
        parts.push(label);
      }
    }
    parts.push(
      `${fmt(p.rows)} rows`,
      `${fmt(rate)} rows/s`,
      `accepted ${fmt(p.accepted)}`,
      `rejected ${fmt(p.rejected)}`,
    );
    return parts.join('  ');
  }
}

function percent(p: ImportProgress): number {
  if (!p.totalBytes) return 0;
  return p.done ? 1 : Math.min(1, p.bytesRead / p.totalBytes);
}
