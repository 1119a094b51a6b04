/**
 * Progress on stderr: a bar redrawn in place on a terminal, a plain line every
 * few seconds otherwise (CI logs, `| tee`), and always a last line.
 */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressOptions {
  readonly stream?: ProgressStream;
  /** Plain lines at most this often when not a terminal. @default 5000 */
  readonly lineEveryMs?: number;
  readonly label?: string;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class Progress {
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly lineEveryMs: number;
  private readonly label: string;
  private readonly startedAt = performance.now();
  private lastDraw = 0;
  private lastLine = 0;
  private drawn = false;
  private note = '';

  /** `done` counts this run's rows; `offset` the rows an earlier run finished (resume). */
  constructor(
    private readonly total: number | undefined,
    private readonly offset: number,
    options: ProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.lineEveryMs = options.lineEveryMs ?? 5000;
    this.label = options.label ?? 'rows';
  }

  /** A short note shown until the next one (e.g. "throttled, retrying"). */
  say(note: string): void {
    this.note = note;
  }

  update(done: number, extra: string, force = false): void {
    const now = performance.now();
    if (this.tty) {
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.stream.write(`\r\x1b[2K${this.line(done, extra, true)}`);
      this.drawn = true;
    } else if (force || now - this.lastLine >= this.lineEveryMs) {
      this.lastLine = now;
      this.stream.write(`${this.line(done, extra, false)}\n`);
    }
  }

  finish(done: number, extra: string): void {
    if (this.tty) {
      this.stream.write(`\r\x1b[2K${this.line(done, extra, true)}\n`);
      this.drawn = false;
    } else this.stream.write(`${this.line(done, extra, false)}\n`);
  }

  /** Leaves the bar's line before other output. */
  clear(): void {
    if (this.tty && this.drawn) this.stream.write('\r\x1b[2K');
  }

  rate(done: number): number {
    const s = (performance.now() - this.startedAt) / 1000;
    return s > 0 ? done / s : 0;
  }

  private line(done: number, extra: string, bar: boolean): string {
    const rate = this.rate(done);
    const at = this.offset + done;
    const parts: string[] = [];
    if (this.total !== undefined && this.total > 0) {
      const ratio = Math.min(1, at / this.total);
      if (bar) {
        const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - 90));
        const full = Math.round(ratio * width);
        parts.push(`[${'#'.repeat(full)}${'-'.repeat(width - full)}]`);
      }
      parts.push(`${Math.floor(ratio * 100)}%`, `${fmt(at)}/${fmt(this.total)} ${this.label}`);
      parts.push(`${fmt(Math.round(rate))}/s`, `ETA ${rate > 0 ? duration((this.total - at) / rate) : '?'}`);
    } else {
      parts.push(`${fmt(at)} ${this.label}`, `${fmt(Math.round(rate))}/s`);
    }
    if (extra) parts.push(extra);
    if (this.note) parts.push(this.note);
    return parts.join(' · ');
  }
}
