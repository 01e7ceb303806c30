import { HumanDuration } from '@backstage/types';

export interface Config {
  dataflex?: {
    events?: {
      /**
       * Publishes DataFlex's events to Kafka, from the transactional outbox.
       * Leave unset to keep events inside Backstage.
       */
      kafka?: {
        /** Client id DataFlex identifies itself with to the brokers. */
        clientId: string;
        /**
         * Bootstrap brokers, `host:port`: a list, or one comma-separated
         * string (as an environment variable gives).
         */
        brokers: string[] | string;
        /**
         * TLS to the brokers: `true` for the system's trust store, or the
         * options passed to Node's tls.connect.
         */
        ssl?:
          | boolean
          | {
              /** PEM certificates of the authorities to trust. */
              ca?: string[];
              /** PEM client certificate, for mutual TLS. */
              cert?: string;
              /**
               * PEM private key of the client certificate.
               * @visibility secret
               */
              key?: string;
              /** @default true */
              rejectUnauthorized?: boolean;
            };
        /**
         * SASL authentication: mechanism, username and password, or none of
         * them (as when their environment variables are all unset).
         */
        sasl?: {
          /** Required with SASL, like username and password. */
          mechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
          username?: string;
          /** @visibility secret */
          password?: string;
        };
        /**
         * Publish every event to this one Kafka topic (e.g. `dataflex.events`)
         * instead of one topic per DataFlex topic. A dataset's events then
         * keep their order across event types, not only within each type;
         * the type is in the payload and the `dataflex-event-type` header.
         */
        topic?: string;
        /**
         * Without `topic`: put before each DataFlex topic to name its Kafka
         * topic, e.g. `prod.` gives `prod.dataflex.dataset.created`.
         * @default ''
         */
        topicPrefix?: string;
        /**
         * Let the brokers create topics on first use (when they allow it).
         * @default true
         */
        allowAutoTopicCreation?: boolean;
        /** @default { seconds: 3 } */
        connectionTimeout?: HumanDuration | string;
        /** @default { seconds: 30 } */
        requestTimeout?: HumanDuration | string;
      };
    };
  };
}
