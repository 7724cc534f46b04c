import { Injectable } from '@nestjs/common';
import { AppConfig } from 'src/core/config/app-config';
import { AppError } from 'src/core/errors/app-error';
import { LimitResult, Limiter, RateLimitsService, retryAfterSeconds } from 'src/core/security/rate-limits.service';

/** A reserved password check: the caller reports how it ended. */
export interface ReservedCheck {
  /** The password was wrong (or no session is issued): the reservation stays counted. */
  failed(): Promise<void>;
  /** The password was right: the reservation is given back and consecutive failures end. */
  succeeded(): Promise<void>;
}

/**
 * How long a client that signed in to an account stays "known" to it (spared the
 * account-wide delay); under the 24.8 days a Node timer holds (the in-memory fallback).
 */
const KNOWN_CLIENT_SECONDS = 14 * 86400;
/** Cap of the doubling exponent (2^20 s is far above any max delay). */
const MAX_DOUBLINGS = 20;

const LIMITED_MESSAGE = 'Too many failed logins; try again later';

/**
 * The limits of sign-in and sign-up (OWASP Authentication Cheat Sheet; the
 * design is in docs/rules.md, "Sign-in"). Every password check is reserved
 * before argon2 runs, by atomic counters in PostgreSQL, so a burst of any size
 * checks at most the configured number of passwords, on every API process:
 *
 * - per client IP across accounts (LOGIN_MAX_FAILURES_PER_IP in the window):
 *   one client spraying many accounts;
 * - per (account, client IP) (LOGIN_MAX_FAILURES_PER_ACCOUNT consecutive
 *   failures in the window): one client guessing one account. The attacker's
 *   client is locked out of that account, not the account's owner;
 * - per account from all clients, looser: past LOGIN_ACCOUNT_FAILURES_BEFORE_DELAY
 *   failures in the window, one attempt per delay that doubles from 1 s up to
 *   LOGIN_ACCOUNT_MAX_DELAY_SECONDS (a distributed attack slows down; nobody is
 *   locked out for long). Clients that signed in to the account before are spared.
 */
@Injectable()
export class AuthLimitsService {
  private readonly perIp: Limiter;
  private readonly perPair: Limiter;
  private readonly perAccount: Limiter;
  private readonly accountDelay: Limiter;
  private readonly knownClients: Limiter;
  private readonly passwordChecks: Limiter;
  private readonly signUps: Limiter;

  constructor(
    limits: RateLimitsService,
    private readonly config: AppConfig,
  ) {
    const window = config.loginFailureWindowSeconds;
    this.perIp = limits.create('login-ip', config.loginMaxFailuresPerIp, window);
    this.perPair = limits.create('login-pair', config.loginMaxFailuresPerAccount, window);
    this.perAccount = limits.create('login-account', config.loginAccountFailuresBeforeDelay, window);
    // One attempt per delay; each delay's length is given when it starts.
    this.accountDelay = limits.create('login-account-delay', 1, 1);
    this.knownClients = limits.create('login-known-client', 1, KNOWN_CLIENT_SECONDS);
    this.passwordChecks = limits.create('password-check', config.loginMaxFailuresPerAccount, window);
    this.signUps = limits.create('signup-ip', config.signupMaxPerIp, config.signupWindowSeconds);
  }

  /**
   * Reserves one login password check for `accountKey` (`<slug>|<email>`,
   * whether or not it exists) from `ip`, or throws RATE_LIMITED with
   * retryAfterSeconds. A refused attempt gives back what it reserved on the
   * limits checked before the one that refused it.
   */
  async reserveLogin(accountKey: string, ip: string): Promise<ReservedCheck> {
    const pairKey = `${accountKey}|${ip}`;
    const byIp = await this.perIp.consume(ip);
    if (!byIp.allowed) throw limited(byIp);
    const byPair = await this.perPair.consume(pairKey);
    if (!byPair.allowed) {
      await this.perIp.reward(ip);
      throw limited(byPair);
    }
    const byAccount = await this.perAccount.consume(accountKey);
    if (!byAccount.allowed && !(await this.knownClients.has(pairKey))) {
      const slot = await this.accountDelay.consume(accountKey, this.delaySeconds(byAccount));
      if (!slot.allowed) {
        await Promise.all([this.perIp.reward(ip), this.perPair.reward(pairKey)]);
        throw limited(slot);
      }
    }
    return {
      failed: async () => undefined,
      succeeded: async () => {
        await Promise.all([
          this.perIp.reward(ip),
          this.perPair.delete(pairKey),
          this.perAccount.reward(accountKey),
          this.knownClients.mark(pairKey, KNOWN_CLIENT_SECONDS),
        ]);
      },
    };
  }

  /** Reserves one check of a signed-in employee's current password (changeMyPassword), or RATE_LIMITED. */
  async reservePasswordCheck(employeeId: string): Promise<ReservedCheck> {
    const r = await this.passwordChecks.consume(employeeId);
    if (!r.allowed)
      throw AppError.rateLimited('Too many wrong current passwords; try again later', retryAfterSeconds(r));
    return {
      failed: async () => undefined,
      succeeded: () => this.passwordChecks.delete(employeeId),
    };
  }

  /** Counts one sign-up from `ip`, or RATE_LIMITED. */
  async consumeSignUp(ip: string): Promise<void> {
    const r = await this.signUps.consume(ip);
    if (!r.allowed)
      throw AppError.rateLimited('Too many sign-ups from your network; try again later', retryAfterSeconds(r));
  }

  /** 1, 2, 4 ... seconds for the 1st, 2nd, 3rd ... attempt past the free failures, up to the maximum. */
  private delaySeconds(byAccount: LimitResult): number {
    const past = byAccount.consumed - this.config.loginAccountFailuresBeforeDelay;
    return Math.min(this.config.loginAccountMaxDelaySeconds, 2 ** Math.min(Math.max(past - 1, 0), MAX_DOUBLINGS));
  }
}

function limited(r: LimitResult): AppError {
  return AppError.rateLimited(LIMITED_MESSAGE, retryAfterSeconds(r));
}
