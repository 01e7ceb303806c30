import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  DATAFLEX_ANNOTATIONS,
  parseDemoPipeline,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  DemoRunner,
  DemoRunRequest,
  DemoRunResult,
} from '@dataflex/backstage-plugin-dataflex-node';
import { applyPipeline } from './applyPipeline';

/** Runs a service's declarative `dataflex.io/demo-pipeline` inside DataFlex. */
export class PipelineDemoRunner implements DemoRunner {
  readonly type = 'pipeline';

  supports(service: Entity): boolean {
    return Boolean(
      service.metadata.annotations?.[DATAFLEX_ANNOTATIONS.demoPipeline],
    );
  }

  async run(request: DemoRunRequest): Promise<DemoRunResult> {
    const text =
      request.service.metadata.annotations?.[
        DATAFLEX_ANNOTATIONS.demoPipeline
      ] ?? '';
    let steps;
    try {
      steps = parseDemoPipeline(text);
    } catch (error) {
      throw new InputError(
        `The service's demo pipeline ${(error as Error).message}`,
      );
    }
    const rows = applyPipeline(steps, request.input);
    return {
      rows: rows.slice(0, request.limits.maxRows),
      truncated: rows.length > request.limits.maxRows,
    };
  }
}
