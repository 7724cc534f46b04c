import { LoggerService } from '@nestjs/common';
import { LogLevel } from 'src/core/config/app-config';
import { requestContext } from 'src/core/context/request-context';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * Structured JSON-lines logger. Each line carries the request or job id and the
 * organization id from the request context. Callers must never pass tokens,
 * passwords, phone numbers or message text.
 */
export class JsonLogger implements LoggerService {
  /** `sink` receives each line (tests capture the log in-process); by default warn and error go to stderr. */
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly sink: (line: string, level: LogLevel) => void = writeToStdio,
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (RANK[level] < RANK[this.level]) return;
    // Nest passes the context name as the last string argument, an optional stack before it.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const ctx = requestContext.get();
    const line: Record<string, unknown> = { time: new Date().toISOString(), level };
    if (context) line.context = context;
    if (ctx?.requestId) line.requestId = ctx.requestId;
    if (ctx?.jobId) line.jobId = ctx.jobId;
    if (ctx?.orgId) line.orgId = ctx.orgId;
    if (message instanceof Error) {
      line.msg = message.message;
      line.stack = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(line, message);
    } else {
      line.msg = String(message);
    }
    for (const extra of rest) {
      if (typeof extra === 'string' && extra.includes('\n    at ')) line.stack = extra;
      else if (extra && typeof extra === 'object') Object.assign(line, extra);
    }
    this.sink(JSON.stringify(line), level);
  }
}

function writeToStdio(line: string, level: LogLevel): void {
  if (RANK[level] >= RANK.warn) process.stderr.write(line + '\n');
  else process.stdout.write(line + '\n');
}
