import { LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { logLevel, LogEntry } from 'kafkajs';

/** Sends kafkajs's own log lines to the Backstage logger. */
export function kafkaLogCreator(logger: LoggerService) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...meta } = log;
      const fields = { namespace, ...meta } as JsonObject;
      if (level === logLevel.ERROR) {
        logger.error(message, fields);
      } else if (level === logLevel.WARN) {
        logger.warn(message, fields);
      } else if (level === logLevel.INFO) {
        logger.info(message, fields);
      } else {
        logger.debug(message, fields);
      }
    };
}
