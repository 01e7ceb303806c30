import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the DataFlex backend plugin. */
  dataflex?: {
    /** Where dataset content is stored. */
    storage?: {
      /**
       * The storage backend. `local` keeps blobs on the backend's disk; `s3`
       * in an S3 bucket (AWS S3, MinIO or any S3-compatible store).
       * @default local
       */
      type?: 'local' | 's3';
      local?: {
        /**
         * Directory for blobs; relative paths resolve against the backend's
         * working directory.
         * @default dataflex-data/blobs
         */
        directory?: string;
      };
      s3?: {
        /** The bucket that holds the blobs. */
        bucket: string;
        /**
         * The bucket's region. S3-compatible stores ignore it.
         * @default us-east-1
         */
        region?: string;
        /**
         * Endpoint of an S3-compatible store, e.g. `https://minio.example.com`.
         * Leave unset for AWS S3. Download URLs point at it, so browsers must
         * be able to reach it.
         */
        endpoint?: string;
        /**
         * Address buckets as `<endpoint>/<bucket>` instead of
         * `<bucket>.<endpoint>`; MinIO and most self-hosted stores need it.
         * @default false
         */
        forcePathStyle?: boolean;
        /**
         * Access key; with secretAccessKey. When both are unset, the AWS SDK's
         * default credential chain is used (environment, profile, instance
         * or pod role).
         */
        accessKeyId?: string;
        /**
         * Secret key; with accessKeyId.
         * @visibility secret
         */
        secretAccessKey?: string;
        /**
         * Key prefix for everything DataFlex stores, so it can share a bucket.
         * @default ''
         */
        prefix?: string;
        /**
         * When the SDK sends request checksums (CRC32). `WHEN_SUPPORTED`, the
         * SDK's default, suits AWS S3 and current MinIO; older S3-compatible
         * stores reject those headers and need `WHEN_REQUIRED`.
         */
        requestChecksumCalculation?: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
        /**
         * When the SDK validates checksums of downloaded content; see
         * requestChecksumCalculation.
         */
        responseChecksumValidation?: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
        /**
         * Lifetime of presigned download URLs, in seconds (at most 7 days).
         * @default 300
         */
        presignedUrlTtlSeconds?: number;
        /**
         * Size of multipart upload parts, at least 5 MiB. An upload holds
         * about (queueSize + 1) parts in memory and may have at most 10,000
         * parts, so this also caps the largest storable file.
         * @default 8388608
         */
        partSizeBytes?: number;
        /**
         * Parts of one upload sent concurrently.
         * @default 2
         */
        queueSize?: number;
        /**
         * Create the bucket on start when it does not exist.
         * @default false
         */
        createBucket?: boolean;
      };
      /**
       * The scheduled task (one backend instance at a time) that removes
       * what interrupted uploads left in storage.
       */
      janitor?: {
        /**
         * How often it runs.
         * @default { minutes: 15 }
         */
        frequency?: HumanDuration | string;
        /**
         * How long leftovers must have been idle before they are removed;
         * longer than any pause in a running upload.
         * @default { hours: 1 }
         */
        gracePeriod?: HumanDuration | string;
      };
    };
    /** Limits on uploads, checked while the content streams in. */
    limits?: {
      /**
       * Largest file one upload may carry, in bytes; larger uploads are
       * refused with 413 as soon as they pass it, and nothing is stored.
       * @default 2147483648
       */
      maxUploadBytes?: number;
      /**
       * Formats that may be uploaded, as detected from the content (never
       * from the client's Content-Type or file name).
       * @default ['csv', 'jsonl', 'parquet']
       */
      allowedFormats?: Array<'csv' | 'jsonl' | 'parquet'>;
      /**
       * Total bytes of versions one user may have uploaded, across all
       * datasets; versions of deleted datasets no longer count.
       * @default 21474836480
       */
      userQuotaBytes?: number;
    };
    /** Behaviour of the dataset API. */
    datasets?: {
      /** Previews of a version's first rows. */
      preview?: {
        /**
         * Most rows one preview returns; at most 100.
         * @default 100
         */
        maxRows?: number;
        /**
         * Most bytes of content one CSV or JSON Lines preview reads, and
         * about the largest response; at most 1048576.
         * @default 1048576
         */
        maxBytes?: number;
      };
      /**
       * The scheduled task (one backend instance at a time) that removes
       * stored content no dataset version references any more: that of
       * deleted datasets and of uploads that failed after storing.
       */
      orphanBlobs?: {
        /**
         * How often it runs.
         * @default { hours: 1 }
         */
        frequency?: HumanDuration | string;
        /**
         * How long unreferenced content must have been stored before it is
         * removed; longer than any upload takes from storing to committing.
         * @default { hours: 24 }
         */
        gracePeriod?: HumanDuration | string;
      };
    };
    /** Demo runs: try a service's transformation on sample rows. */
    demos?: {
      /**
       * Sample rows when a service's `dataflex.io/demo-sample-rows` is absent.
       * @default 20
       */
      defaultSampleRows?: number;
      /**
       * Hard cap on sample rows and output rows, whatever a service asks for.
       * @default 100
       */
      maxSampleRows?: number;
      /**
       * Hard cap on a run's time in milliseconds.
       * @default 10000
       */
      maxTimeoutMs?: number;
      /**
       * Largest answer an HTTP demo may send, in bytes.
       * @default 1048576
       */
      maxResponseBytes?: number;
      /**
       * Hosts HTTP demos may call: `host`, `host:port` or `*.domain`. Empty:
       * no HTTP demos.
       */
      allowedHosts?: string[];
      /**
       * Of the allowed hosts, those that may resolve to private, loopback or
       * link-local addresses (e.g. a demo service on this machine).
       */
      allowPrivateAddressesFor?: string[];
      /**
       * Demo runs one user may start per minute.
       * @default 10
       */
      runsPerUserPerMinute?: number;
      /**
       * Demo runs in flight at once on one backend instance.
       * @default 4
       */
      maxConcurrentRuns?: number;
    };
    /** Access requests and grants (see the README's Access requests section). */
    accessRequests?: {
      /**
       * How long after a rejection the requester must wait before asking
       * for the same dataset again; `0` for no wait. A HumanDuration or an
       * ISO 8601 duration such as `P1D`.
       * @default { days: 1 }
       */
      cooldown?: HumanDuration | string;
      /**
       * The scheduled task (one backend instance at a time) that records
       * grants past their end date: publishes `dataflex.access.expired` once
       * per grant and tells the holder. Grants stop working at their end
       * date whether or not it has run.
       */
      expiry?: {
        /**
         * How often it runs.
         * @default { minutes: 5 }
         */
        frequency?: HumanDuration | string;
      };
    };
    /** How DataFlex publishes its events (see the README's Events section). */
    events?: {
      /**
       * The transactional outbox events are written to with the change they
       * report, and relayed from to Backstage's events service and Kafka.
       */
      outbox?: {
        /**
         * How long sent events stay in the outbox before they are deleted.
         * Unsent events are never deleted.
         * @default { days: 7 }
         */
        retention?: HumanDuration | string;
        /**
         * How often one backend instance looks for events that were not
         * relayed right after their commit (a crash, a broker outage).
         * @default { seconds: 10 }
         */
        frequency?: HumanDuration | string;
        /**
         * Events one relay pass claims and delivers at a time.
         * @default 100
         */
        batchSize?: number;
        /**
         * How long a relay's claim on events lasts; if the relay dies, another
         * instance delivers them once it lapses. Longer than a slow delivery.
         * @default { minutes: 1 }
         */
        lease?: HumanDuration | string;
        /**
         * The longest wait between retries of an event that failed; retries
         * start after a second and double.
         * @default { minutes: 5 }
         */
        maxBackoff?: HumanDuration | string;
      };
    };
  };
}
