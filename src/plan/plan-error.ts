/** A plan that cannot be made from the configuration; names the wave, cluster or field. */
export class PlanError extends Error {
  override readonly name = "PlanError";
  readonly wave: string | undefined;
  readonly cluster: string | undefined;

  constructor(message: string, where: { wave?: string; cluster?: string } = {}) {
    super(message);
    this.wave = where.wave;
    this.cluster = where.cluster;
  }
}
