import { FormatInspector } from '../FormatInspector';
import { Random } from './random';

/** What inspecting a file gave: the inspector's result or its error message. */
export interface Inspection {
  result?: unknown;
  error?: string;
}

/** Feeds `bytes` to `inspector` cut at the given positions. */
async function inspectCut(
  inspector: FormatInspector,
  bytes: Buffer,
  cuts: number[],
): Promise<Inspection> {
  try {
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      // A copy, so that a chunk kept after write returns would show.
      const chunk = Buffer.from(bytes.subarray(from, cut));
      await inspector.write(chunk);
      chunk.fill(0x21);
      from = cut;
    }
    return { result: await inspector.end() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export interface InspectHoweverCutOptions {
  /** A new inspector for each way of cutting. */
  create: () => FormatInspector;
  input: Buffer;
  /** Draws the random cut positions. */
  next: Random;
  /**
   * Cut at every single position and at all of them at once, instead of at
   * up to six random positions.
   */
  everywhere: boolean;
}

/**
 * Inspects `input` whole and cut into chunks in many ways; each inspection
 * comes with the cuts and the input as text, so that a failing comparison
 * shows which case it was.
 */
export async function inspectHoweverCut(
  options: InspectHoweverCutOptions,
): Promise<Array<Inspection & { context: string; cuts: number[] }>> {
  const { create, input, next } = options;
  const splits: number[][] = [[]];
  if (options.everywhere) {
    for (let cut = 1; cut < input.length; cut++) {
      splits.push([cut]);
    }
    splits.push(Array.from({ length: input.length }, (_, i) => i));
  } else {
    const cuts = new Set<number>();
    for (let k = 0; k < 6; k++) {
      cuts.add(Math.floor(next() * input.length));
    }
    splits.push([...cuts].sort((a, b) => a - b));
  }
  const context = JSON.stringify(input.toString('utf8'));
  const inspections = [];
  for (const cuts of splits) {
    inspections.push({
      context,
      cuts,
      ...(await inspectCut(create(), input, cuts)),
    });
  }
  return inspections;
}
