import { applyDecorators, Inject, Injectable } from '@nestjs/common';
import { ZxcvbnFactory, ZxcvbnResult } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import { IsString, MinLength } from 'class-validator';
import { MaxChars } from 'src/core/validation/max-chars.decorator';
import { AppConfig } from 'src/core/config/app-config';
import { AppError } from 'src/core/errors/app-error';

/** NIST SP 800-63B: at least 8 characters, and a maximum that bounds the argon2 work of one attempt. */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

/**
 * Characters the estimator reads. Its l33t and sequence matchers grow faster
 * than linearly with length (a random 256-character password took over a
 * second with the defaults); a password strong in its first 64 characters is
 * strong. With the l33t cap below one check costs a few to a few tens of
 * milliseconds of the event loop (measured in the hardening report).
 */
const ESTIMATED_LENGTH = 64;
/** A password of the person's own data plus at most this many characters (separators, a digit or two) is refused. */
const MAX_EXTRA_CHARS = 3;
/**
 * l33t substitutions tried per password (default 100): the same verdicts on
 * l33t passwords ("P@$$w0rd!1", "$3cr3t_p@$$", "1l0v3y0u!") and about a tenth
 * of the time on long random ones.
 */
const L33T_MAX_SUBSTITUTIONS = 4;

/** A password field: lengths checked with the other fields of the input (BAD_USER_INPUT naming each). */
export const PasswordField = () =>
  applyDecorators(
    IsString(),
    MinLength(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }),
    MaxChars(MAX_PASSWORD_LENGTH),
  );

/** What the password must not be built from: the person's own e-mail, name and organization. */
export interface PersonalData {
  email?: string | null;
  name?: string | null;
  organizationName?: string | null;
  slug?: string | null;
}

/**
 * Refuses guessable passwords the NIST SP 800-63B way: no composition rules,
 * but a check against common and breached-style passwords, dictionary words,
 * keyboard patterns and the user's own data, with zxcvbn-ts (its common and
 * English dictionaries). A password is accepted from PASSWORD_MIN_SCORE
 * (default 3 of 0-4: "safely unguessable", about 10^8 guesses and more).
 */
@Injectable()
export class PasswordPolicyService {
  private estimator?: ZxcvbnFactory;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  /** BAD_USER_INPUT naming `field`, with the estimator's advice, unless the password is strong enough. */
  assertStrong(field: string, password: string, personal: PersonalData): void {
    const problem = this.problem(password, personal);
    if (problem) throw AppError.badInput(field, problem);
  }

  /** Why the password is refused, or null. */
  problem(password: string, personal: PersonalData): string | null {
    const result = this.estimate(password, personal);
    const personalMatches = result.sequence.filter(
      (m) => m.pattern === 'dictionary' && m.dictionaryName === 'userInputs',
    );
    // zxcvbn scores "quibbleton-zephyrine" (the name reversed) 3: the separator
    // counts as a brute-forced character. Someone who knows the person tries it
    // first, so a password that is little more than their own data is refused.
    const personalChars = personalMatches.reduce((n, m) => n + m.token.length, 0);
    const mostlyPersonal =
      personalChars > 0 && personalChars >= Math.min(password.length, ESTIMATED_LENGTH) - MAX_EXTRA_CHARS;
    if (result.score >= this.config.passwordMinScore && !mostlyPersonal) return null;
    const warning = personalMatches.length
      ? 'It contains your name, e-mail address or organization.'
      : (result.feedback.warning ?? 'It is too easy to guess.');
    const advice = result.feedback.suggestions.length
      ? result.feedback.suggestions.join(' ')
      : 'Use a few uncommon words, or a longer passphrase.';
    return `is too easy to guess. ${warning} ${advice}`;
  }

  estimate(password: string, personal: PersonalData): ZxcvbnResult {
    return this.zxcvbn().check(password.slice(0, ESTIMATED_LENGTH), userInputs(personal));
  }

  /** Built on first use, once per process: the dictionaries take about 100 ms and several MB to rank. */
  private zxcvbn(): ZxcvbnFactory {
    this.estimator ??= new ZxcvbnFactory({
      translations: zxcvbnEn.translations,
      graphs: zxcvbnCommon.adjacencyGraphs,
      dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
      maxLength: ESTIMATED_LENGTH,
      l33tMaxSubstitutions: L33T_MAX_SUBSTITUTIONS,
    });
    return this.estimator;
  }
}

/**
 * The person's data as the estimator's user inputs: each value whole, without
 * spaces or dashes, and word by word (so "Acme Trading" catches "trading2024"
 * and "acmetrading"), and the e-mail's local part and domain labels.
 */
export function userInputs(p: PersonalData): string[] {
  const out = new Set<string>();
  const add = (s: string) => {
    const v = s.trim().toLowerCase();
    if (v.length >= 3) out.add(v);
  };
  const words = (s: string) => s.split(/[^\p{L}\p{N}]+/u).forEach(add);
  for (const value of [p.name, p.organizationName, p.slug]) {
    if (!value) continue;
    add(value);
    add(value.replace(/[^\p{L}\p{N}]+/gu, ''));
    words(value);
  }
  if (p.email) {
    const [local, domain = ''] = p.email.split('@');
    add(p.email);
    add(local);
    add(local.replace(/[^\p{L}\p{N}]+/gu, ''));
    words(local);
    words(domain);
  }
  return [...out];
}
