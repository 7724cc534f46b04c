describe('node-env', () => {
  const saved = process.env.NODE_ENV;
  afterEach(() => {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  });

  it('makes an unset NODE_ENV production', () => {
    delete process.env.NODE_ENV;
    jest.isolateModules(() => require('./node-env'));
    expect(process.env.NODE_ENV).toBe('production');
  });

  it('keeps one that is set', () => {
    process.env.NODE_ENV = 'development';
    jest.isolateModules(() => require('./node-env'));
    expect(process.env.NODE_ENV).toBe('development');
  });
});
