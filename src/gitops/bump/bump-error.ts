/** A revision bump that cannot be made; names the cluster and the file so a user can act. */
export class BumpError extends Error {
  override readonly name = "BumpError";
  readonly cluster: string;
  readonly path: string;
  /** What is wrong, without the cluster and path prefix. */
  readonly detail: string;

  constructor(ctx: { cluster: string; path: string }, detail: string) {
    super(`${ctx.path} (cluster ${ctx.cluster}): ${detail}`);
    this.cluster = ctx.cluster;
    this.path = ctx.path;
    this.detail = detail;
  }
}
