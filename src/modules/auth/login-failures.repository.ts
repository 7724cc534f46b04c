import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class LoginFailuresRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async record(accountKey: string, ip: string): Promise<void> {
    await this.db.query(`INSERT INTO login_failures (account_key, ip) VALUES ($1, $2)`, [accountKey, ip]);
  }

  /** Failures within the window, per account and per IP, in one statement. */
  async counts(accountKey: string, ip: string, windowSeconds: number): Promise<{ account: number; ip: number; oldest: Date | null }> {
    const rows: Array<{ account: string; ip: string; oldest: Date | null }> = await this.db.query(
      `SELECT
         (SELECT count(*) FROM login_failures WHERE account_key = $1 AND created_at > now() - make_interval(secs => $3)) AS account,
         (SELECT count(*) FROM login_failures WHERE ip = $2 AND created_at > now() - make_interval(secs => $3)) AS ip,
         (SELECT min(created_at) FROM login_failures WHERE account_key = $1 AND created_at > now() - make_interval(secs => $3)) AS oldest`,
      [accountKey, ip, windowSeconds],
    );
    return { account: Number(rows[0].account), ip: Number(rows[0].ip), oldest: rows[0].oldest };
  }

  async clearAccount(accountKey: string): Promise<void> {
    await this.db.query(`DELETE FROM login_failures WHERE account_key = $1`, [accountKey]);
  }

  async purgeOlderThan(seconds: number): Promise<number> {
    const res = await this.db.query(`DELETE FROM login_failures WHERE created_at < now() - make_interval(secs => $1)`, [seconds]);
    return Array.isArray(res) ? Number(res[1] ?? 0) : 0;
  }
}
