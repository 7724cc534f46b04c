import { AppConfig } from 'src/core/config/app-config';
import { DEMO_ADMIN, DEMO_EMPLOYEES, DEMO_ORGANIZATION, DEMO_PASSWORD, demoEmail } from 'src/demo/demo-data';
import { PasswordPolicyService, userInputs } from './password-policy.service';

describe('PasswordPolicyService', () => {
  const policy = new PasswordPolicyService(AppConfig.of({ JWT_SECRET: 'x'.repeat(32), PASSWORD_MIN_SCORE: '3' }));
  const ann = {
    email: 'ann.o-brien@acme-trading.com',
    name: "Ann O'Brien",
    organizationName: 'Acme Trading 艾克美',
    slug: 'acme-trading',
  };

  it('turns the person into user inputs: whole values, joined, word by word, and the e-mail parts', () => {
    expect(userInputs(ann).sort()).toEqual(
      [
        "ann o'brien", 'annobrien', 'ann', 'brien',
        'acme trading 艾克美', 'acmetrading艾克美', 'acme', 'trading', '艾克美',
        'acme-trading', 'acmetrading',
        'ann.o-brien@acme-trading.com', 'ann.o-brien', 'annobrien', 'com',
      ].filter((v, i, a) => a.indexOf(v) === i).sort(),
    );
  });

  it.each([
    ['Acme-Trading-1', /your name, e-mail address or organization/],
    ['annobrien2024', /your name, e-mail address or organization/],
    ['trading-acme', /your name, e-mail address or organization/],
    ['password1234', /commonly used password/],
    ['qwertyuiop12', /commonly used password/],
  ])('refuses %s', (password, why) => {
    expect(policy.problem(password, ann)).toMatch(why);
  });

  it('accepts passphrases of uncommon words, with no composition rules', () => {
    expect(policy.problem('orbit lantern harbor', ann)).toBeNull();
    expect(policy.problem('Orbit-lantern-harbor-7', ann)).toBeNull();
  });

  it('follows PASSWORD_MIN_SCORE', () => {
    const lenient = new PasswordPolicyService(AppConfig.of({ JWT_SECRET: 'x'.repeat(32), PASSWORD_MIN_SCORE: '0' }));
    expect(lenient.problem('password1234', ann)).toBeNull();
    // The user's own data stays refused whatever the score.
    expect(lenient.problem('acme-trading', ann)).toMatch(/your name, e-mail address or organization/);
  });

  it('accepts the demo password for every demo login (the seed hashes it without the policy)', () => {
    const people = [
      { name: DEMO_ADMIN.name, email: DEMO_ADMIN.email },
      ...DEMO_EMPLOYEES.map((e) => ({ name: e.name, email: demoEmail(e.externalId) })),
    ];
    for (const person of people) {
      expect(
        policy.problem(DEMO_PASSWORD, {
          ...person,
          organizationName: DEMO_ORGANIZATION.name,
          slug: DEMO_ORGANIZATION.slug,
        }),
      ).toBeNull();
    }
  });
});
