import { parseKpiRebuildArgs } from './kpi-rebuild.command';

describe('kpi-rebuild arguments', () => {
  it('refuses a day that does not exist (JavaScript would roll 30 February over to March)', () => {
    expect(parseKpiRebuildArgs(['--org', 'acme', '--from', '2024-02-29'])).toEqual({ org: 'acme', from: '2024-02-29' });
    expect(() => parseKpiRebuildArgs(['--org', 'acme', '--to', '2025-02-30'])).toThrow(
      '--to must be a date YYYY-MM-DD',
    );
  });
});
