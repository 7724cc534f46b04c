import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** Password hashing with argon2id (OWASP's recommended parameters). */
@Injectable()
export class PasswordService {
  private static readonly OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
  /** A valid hash of a random password, verified when the account is unknown so timing does not reveal it. */
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, PasswordService.OPTIONS);
  }

  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    if (!hash) {
      this.dummyHash ??= this.hash(`dummy-${Math.random()}`);
      await argon2.verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
