import { request } from 'node:http';
import { GqlResult } from './test-app';

/**
 * POSTs a GraphQL operation from a chosen loopback address (127.0.0.2,
 * 127.0.0.3 ...: Linux answers the whole 127/8), so a test can play several
 * clients with distinct IPs against the real endpoint.
 */
export function gqlFrom<T = any>(
  url: string,
  localAddress: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<GqlResult<T>> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url.replace('//localhost:', '//127.0.0.1:')}/graphql`,
      {
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({
              ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as GqlResult<T>),
              status: res.statusCode ?? 0,
            });
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
