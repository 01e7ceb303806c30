import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The DataFlex dataset provider: publishes datasets created through
       * DataFlex uploads as Dataset entities.
       */
      dataflex?: {
        /**
         * How often every dataset is re-read from the DataFlex backend, on
         * top of the refreshes dataset events trigger. Defaults to every 30
         * minutes, starting 15 seconds after start-up, with a 3 minute
         * timeout.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
