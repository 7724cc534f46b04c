import { AppConfig } from 'src/core/config/app-config';
import { TokenService } from './token.service';

describe('TokenService', () => {
  const config = AppConfig.of({
    JWT_SECRET: 'a-test-secret-that-is-long-enough-123456',
    SESSION_TTL_SECONDS: '3600',
    DATA_DIR: '/tmp/unused',
  });
  const tokens = new TokenService(config);

  it('round-trips the claims of a fresh token', () => {
    const now = Date.UTC(2026, 0, 1);
    const claims = tokens.verify(tokens.sign('emp-1', 'org-1', 4, now), now + 1000);
    expect(claims).toMatchObject({ sub: 'emp-1', org: 'org-1', tv: 4, iat: now / 1000, exp: now / 1000 + 3600 });
  });

  it('rejects an expired token', () => {
    const now = Date.UTC(2026, 0, 1);
    const token = tokens.sign('emp-1', 'org-1', 0, now);
    expect(tokens.verify(token, now + 3599_000)).not.toBeNull();
    expect(tokens.verify(token, now + 3600_000)).toBeNull();
  });

  it('rejects a token signed with another secret or altered', () => {
    const other = new TokenService(
      AppConfig.of({ JWT_SECRET: 'another-secret-that-is-long-enough-12345', DATA_DIR: '/tmp/unused' }),
    );
    const token = other.sign('emp-1', 'org-1', 0);
    expect(tokens.verify(token)).toBeNull();
    const mine = tokens.sign('emp-1', 'org-1', 0);
    const [h, , s] = mine.split('.');
    const body = Buffer.from(JSON.stringify({ sub: 'emp-2', org: 'org-1', tv: 0, iat: 1, exp: 9e9 })).toString(
      'base64url',
    );
    expect(tokens.verify(`${h}.${body}.${s}`)).toBeNull();
    expect(tokens.verify('a.b')).toBeNull();
  });
});
