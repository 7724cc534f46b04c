/**
 * SQL of the module that owns the tables it reads, handed whole to another
 * module's statement (e.g. as a CTE's source) so that set-based work stays in
 * PostgreSQL without the rows coming into Node. The consumer binds it and
 * never sees or edits its text; `Row` is the columns it yields, which the
 * consumer declares and the owner's subclass promises. Only a subclass (the
 * owning module's, with its own constructor) makes one.
 */
export abstract class SqlFragment<Row extends object> {
  /** Never set: ties a fragment to the columns it yields, for the type checker only. */
  protected declare readonly row: Row;

  protected constructor(
    private readonly text: string,
    private readonly params: readonly unknown[],
  ) {}

  /** The text with its placeholders ($1, $2, ...) numbered after `params`, to which its values are appended. */
  bind(params: unknown[]): string {
    const offset = params.length;
    params.push(...this.params);
    return this.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  }
}
