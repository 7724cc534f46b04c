/**
 * The PostgreSQL the process actually talks to: DATABASE_URL, or the embedded
 * server started at boot. Provided globally; inject it instead of reading config.
 */
export class DatabaseConnectionInfo {
  constructor(
    readonly url: string,
    /** True when the server was started by this process (embedded default). */
    readonly embedded: boolean,
  ) {}
}
