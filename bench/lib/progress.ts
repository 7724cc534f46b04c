/**
 * A progress bar on stderr for long, chunked steps (a line per step when
 * stderr is not a terminal), and the step timings for the summary.
 */
export class Progress {
  readonly timings: Array<{ step: string; ms: number; rows: number }> = [];
  private step = '';
  private total = 1;
  private done = 0;
  private rows = 0;
  private started = 0;
  private lastDraw = 0;
  private readonly tty = !!process.stderr.isTTY;
  private readonly t0 = Date.now();

  constructor(private readonly totalWeight: number) {}
  private weightDone = 0;
  private weight = 0;

  start(step: string, total: number, weight = total): void {
    this.step = step;
    this.total = Math.max(1, total);
    this.done = 0;
    this.rows = 0;
    this.weight = weight;
    this.started = Date.now();
    this.draw(true);
  }

  tick(units: number, rows = units): void {
    this.done += units;
    this.rows += rows;
    this.draw(false);
  }

  end(): void {
    const ms = Date.now() - this.started;
    this.timings.push({ step: this.step, ms, rows: this.rows });
    this.weightDone += this.weight;
    if (this.tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(
      `  ${this.step.padEnd(28)} ${this.rows.toLocaleString('en-US').padStart(12)} rows  ${(ms / 1000).toFixed(1).padStart(7)} s` +
        `   [total ${((Date.now() - this.t0) / 1000).toFixed(0)} s]\n`,
    );
  }

  private draw(force: boolean): void {
    if (!this.tty) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const overall = Math.min(1, (this.weightDone + (this.weight * this.done) / this.total) / this.totalWeight);
    const width = 30;
    const filled = Math.round(overall * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    process.stderr.write(
      `\r\x1b[K[${bar}] ${(overall * 100).toFixed(0).padStart(3)}%  ${this.step} ${Math.round((100 * this.done) / this.total)}%` +
        `  ${((now - this.t0) / 1000).toFixed(0)} s`,
    );
  }
}
