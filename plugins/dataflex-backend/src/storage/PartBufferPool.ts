/**
 * Part-sized buffers for multipart uploads, handed back once a part is
 * stored and then reused.
 *
 * Each upload could allocate its parts afresh, as `@aws-sdk/lib-storage`
 * does, but a part lives as long as its request, outlives young-generation
 * collections, and is then freed only by a full collection. In a backend
 * whose heap holds a whole portal, V8 runs one such collection for about
 * every 64 MiB of these buffers, and marking that heap cost about half the
 * CPU of an upload. Reused buffers are never garbage.
 */
export class PartBufferPool {
  private readonly idle: Buffer[] = [];

  /**
   * @param partSize - bytes in each buffer.
   * @param maxIdle - buffers kept for reuse; more are freed when handed back.
   */
  static create(options: { partSize: number; maxIdle: number }) {
    return new PartBufferPool(options.partSize, options.maxIdle);
  }

  private constructor(
    readonly partSize: number,
    private readonly maxIdle: number,
  ) {}

  acquire(): Buffer {
    return this.idle.pop() ?? Buffer.allocUnsafeSlow(this.partSize);
  }

  /** Hands back a buffer nothing reads or writes any more. */
  release(buffer: Buffer): void {
    if (this.idle.length < this.maxIdle) {
      this.idle.push(buffer);
    }
  }

  /** Buffers waiting for reuse. */
  get idleCount(): number {
    return this.idle.length;
  }
}
