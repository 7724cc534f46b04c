import {
  DEMO_ADMIN,
  DEMO_EMPLOYEES,
  DEMO_ORGANIZATION,
  DEMO_PASSWORD,
  DEMO_SHOWCASE_LOGINS,
  DEMO_SLUG,
  demoEmail,
} from './demo-data';

export type HintState = 'created' | 'existing' | 'foreign';

/** The ready-to-paste login request of the hint (also used by the test to prove it works). */
export function loginCurl(graphqlUrl: string): string {
  const body = JSON.stringify({
    query: 'mutation($input: LoginInput!) { login(input: $input) { token employee { name roles } } }',
    variables: { input: { slug: DEMO_SLUG, email: DEMO_ADMIN.email, password: DEMO_PASSWORD } },
  });
  return `curl -s ${graphqlUrl} -H 'content-type: application/json' -d '${body}'`;
}

/** The friendly block printed to stdout (not the JSON log) after the demo seed or when it exists already. */
export function loginHint(url: string, state: HintState, seconds?: number): string {
  const graphqlUrl = url ? `${url}/graphql` : '(this process serves no API)';
  const head =
    state === 'created'
      ? `Demo organization "${DEMO_ORGANIZATION.name}" created${seconds !== undefined ? ` in ${seconds.toFixed(1)} s` : ''}.`
      : state === 'existing'
        ? `Demo organization "${DEMO_ORGANIZATION.name}" is ready (seeded on an earlier start).`
        : `An organization with slug "${DEMO_SLUG}" exists but was not made by the demo seed; these logins may not work.`;
  const width = Math.max(...DEMO_SHOWCASE_LOGINS.map((l) => demoEmail(l.externalId).length));
  const roleLines = DEMO_SHOWCASE_LOGINS.map((l) => {
    const e = DEMO_EMPLOYEES.find((x) => x.externalId === l.externalId);
    return `    ${l.role.padEnd(9)}${demoEmail(l.externalId).padEnd(width + 2)}${e ? `${e.name}, ${e.title}` : ''}`;
  });
  const rule = '-'.repeat(78);
  return [
    '',
    rule,
    `  ${head}`,
    // Printed after the seed, so the console and the logins below work when this shows.
    `  Web console: ${url ? `${url}/` : '(this process serves no API)'}`,
    `  GraphQL: ${graphqlUrl}`,
    `  Log in to the demo organization: slug ${DEMO_SLUG}, email ${DEMO_ADMIN.email}, password ${DEMO_PASSWORD}`,
    `  Other roles, same slug and password:`,
    ...roleLines,
    `  Try it (then send the token as -H 'authorization: Bearer <token>'):`,
    `    ${loginCurl(graphqlUrl)}`,
    `  Start with SEED_DEMO=false to skip the demo seed.`,
    rule,
    '',
  ].join('\n');
}
